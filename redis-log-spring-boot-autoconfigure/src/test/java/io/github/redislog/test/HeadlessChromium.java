package io.github.redislog.test;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A headless Chromium for one test, driven by Selenium through a {@code chromedriver} that
 * the test starts on a free port. Both come from the {@code PATH} (Debian: {@code chromium}
 * and {@code chromium-driver}); without them the test is skipped, except on CI
 * ({@code CI=true}), where it fails. Chromium gets a fresh profile; the browser and the
 * driver are stopped after the test, also when it fails, and any process still using that
 * profile is then killed by its PID.
 * <p>
 * Register it as a {@code @RegisterExtension} instance field.
 *
 * @author Redis Log contributors
 */
public final class HeadlessChromium implements BeforeEachCallback, AfterEachCallback {

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private @Nullable ChromeDriverService service;

	private @Nullable ChromeDriver driver;

	private @Nullable Path profile;

	@Override
	public void beforeEach(ExtensionContext context) throws IOException {
		File chromium = executable("chromium");
		File chromedriver = executable("chromedriver");
		if (chromium == null || chromedriver == null) {
			if ("true".equals(System.getenv("CI"))) {
				throw new IllegalStateException("The browser tests need chromium and chromedriver on the PATH");
			}
			assumeThat(chromium != null && chromedriver != null)
				.as("chromium and chromedriver on the PATH (Debian: apt-get install chromium chromium-driver)")
				.isTrue();
		}
		this.profile = Files.createTempDirectory("redis-log-chromium");
		this.service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
			.usingAnyFreePort()
			.withLogOutput(OutputStream.nullOutputStream())
			.build();
		ChromeOptions options = new ChromeOptions().setBinary(chromium)
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--window-size=1280,900", "--user-data-dir=" + this.profile);
		this.driver = new ChromeDriver(this.service, options);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		try {
			if (this.driver != null) {
				this.driver.quit();
			}
		}
		finally {
			this.driver = null;
			if (this.service != null) {
				this.service.stop();
				this.service = null;
			}
			if (this.profile != null) {
				killProcessesUsing(this.profile);
				FileSystemUtils.deleteRecursively(this.profile.toFile());
				this.profile = null;
			}
		}
	}

	/**
	 * Return the browser.
	 * @return the driver of this test's browser
	 */
	public ChromeDriver driver() {
		if (this.driver == null) {
			throw new IllegalStateException("HeadlessChromium is not started: register it with @RegisterExtension");
		}
		return this.driver;
	}

	// A browser that survived quit() would hold the profile and run on after the build.
	private static void killProcessesUsing(Path profile) {
		String marker = "--user-data-dir=" + profile;
		ProcessHandle.allProcesses()
			.filter((process) -> String.join(" ", process.info().arguments().orElse(new String[0])).contains(marker))
			.forEach((process) -> {
				process.destroyForcibly();
				process.onExit().orTimeout(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
			});
	}

	private static @Nullable File executable(String name) {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String dir : path.split(File.pathSeparator)) {
			File candidate = new File(dir, name);
			if (candidate.canExecute()) {
				return candidate;
			}
		}
		return null;
	}

}
