package io.github.redislog.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.redislog.RedisLogContext;
import io.github.redislog.test.HeadlessChromium;
import io.github.redislog.test.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The terminal page in a headless Chromium: a signed-in user watches records arrive, as
 * text, and the page resumes by itself after its stream drops.
 */
// The application's own records come from instance web-1, as do most of those the tests add.
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = LiveViewTestApplication.class,
		properties = { "redis-log.pattern=%m", "redis-log.web.poll-timeout=100ms", "HOSTNAME=web-1",
				"spring.mvc.servlet.load-on-startup=1" })
// Closed after each test: the class's Redis stops before a context cached for the class would close.
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class LiveViewBrowserTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final Logger log = LoggerFactory.getLogger("com.example.web.Checkout");

	@RegisterExtension
	final HeadlessChromium chromium = new HeadlessChromium();

	private final String run = UUID.randomUUID().toString().substring(0, 8);

	@LocalServerPort
	private int port;

	@Autowired
	private LogStreamReader reader;

	@Autowired
	private LogStreams streams;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerProperties(registry);
	}

	@Test
	void signedInUserWatchesTheirRecordsArriveAsText() {
		ChromeDriver browser = signIn("alice");
		awaitLive(browser);
		assertThat(browser.findElement(By.cssSelector(".redis-log-target")).getText()).isEqualTo("User.alice");
		assertThat(browser.findElement(By.xpath("//button[text()='Global']")).isDisplayed()).isFalse();

		String script = "<script>window.redisLogInjected=true</script><img src=x onerror=window.redisLogInjected=true>";
		logAs("User.alice", "first-" + this.run, script + this.run, "\u001b[2Jescape-" + this.run);
		// The escape sequence is shown, not obeyed: nothing was cleared.
		await().until(() -> lines(browser).contains("\u241b[2Jescape-" + this.run));
		assertThat(lines(browser)).contains("first-" + this.run, script + this.run);
		// What the user sees: the terminal's rows in the page, not only its buffer.
		String screen = browser.findElement(By.cssSelector(".xterm-rows")).getText();
		assertThat(screen).contains("first-" + this.run).contains("<script>window.redisLogInjected=true</script>");
		assertThat(browser.executeScript("return window.redisLogInjected === undefined")).isEqualTo(true);
		assertThat(browser.findElements(By.cssSelector(".redis-log img, .redis-log script"))).isEmpty();
	}

	@Test
	void escapeAndControlSequencesInAMessageAreShownNotObeyed() {
		ChromeDriver browser = signIn("alice");
		awaitLive(browser);
		String title = browser.getTitle();
		logAs("User.alice", "title\u001b]0;owned\u0007 link\u001b]8;;https://example.invalid/\u0007click\u001b]8;;\u0007"
				+ " clipboard\u001b]52;c;b3duZWQ=\u0007 cursor\u001b[1;1Hmoved\u001b[6n c1\u009d0;owned\u009c-" + this.run,
				"after-" + this.run);
		String shown = "title\u241b]0;owned\u2407 link\u241b]8;;https://example.invalid/\u2407click\u241b]8;;\u2407"
				+ " clipboard\u241b]52;c;b3duZWQ=\u2407 cursor\u241b[1;1Hmoved\u241b[6n c1\ufffd0;owned\ufffd-" + this.run;
		await().until(() -> lines(browser).contains("after-" + this.run));
		// Each sequence shows as text: the terminal never got an escape to obey.
		assertThat(lines(browser)).containsSubsequence(shown, "after-" + this.run);
		assertThat(browser.getTitle()).isEqualTo(title);
		assertThat(browser.findElements(By.cssSelector("a[href*='example.invalid']"))).isEmpty();
		// The cursor was not moved to the top left: the rows show both lines where they belong.
		String screen = browser.findElement(By.cssSelector(".xterm-rows")).getText();
		assertThat(screen.indexOf("after-" + this.run)).isGreaterThan(screen.indexOf("cursor\u241b[1;1Hmoved"));
		assertThat(screen).doesNotStartWith("moved");
	}

	@Test
	void eachRecordStartsOneLineAndItsContinuationIsIndentedUnderIt() {
		ChromeDriver browser = signIn("alice");
		awaitLive(browser);
		try (RedisLogContext.Scope scope = RedisLogContext.openUserContext("alice")) {
			log.info("real-" + this.run + "\n2026-11-29 INFO forged-" + this.run + "\r\nmore\rend");
			log.error("failed-" + this.run, new IllegalStateException("boom\nforged-in-exception-" + this.run));
			log.info("long-" + this.run + " " + "y".repeat(400) + "\u001b[2K" + "z".repeat(100));
			log.info("last-" + this.run);
		}
		await().until(() -> lines(browser).contains("last-" + this.run));
		List<String> lines = lines(browser);
		assertThat(lines).contains("real-" + this.run + "\u21b52026-11-29 INFO forged-" + this.run + "\u21b5more\u21b5end")
			.noneMatch((line) -> line.startsWith("2026-11-29") || line.startsWith("forged"));
		int failed = lines.indexOf("failed-" + this.run);
		int last = lines.indexOf("last-" + this.run);
		assertThat(failed).isNotNegative();
		List<String> continuation = lines.subList(failed + 1, last);
		assertThat(continuation).first().isEqualTo("  \u2502 java.lang.IllegalStateException: boom");
		assertThat(continuation.get(1)).isEqualTo("  \u2502 forged-in-exception-" + this.run);
		assertThat(continuation).anyMatch((line) -> line.startsWith("  \u2502     at "));
		// The long record: its first row, then rows behind the gutter, never one the terminal wrapped itself.
		int longRecord = continuation.indexOf(continuation.stream()
			.filter((line) -> line.startsWith("long-"))
			.findFirst()
			.orElseThrow());
		assertThat(continuation.subList(0, longRecord)).allMatch((line) -> line.startsWith("  \u2502 "));
		assertThat(continuation.subList(longRecord + 1, continuation.size())).isNotEmpty()
			.allMatch((line) -> line.startsWith("  \u2502 "));
		assertThat(String.join("", continuation.subList(longRecord, continuation.size())).replace("  \u2502 ", ""))
			.isEqualTo("long-" + this.run + " " + "y".repeat(400) + "\u241b[2K" + "z".repeat(100));
	}

	@Test
	void stackTracesFoldUnderTheirRecordAndUnfoldAgain() {
		ChromeDriver browser = signIn("alice");
		awaitLive(browser);
		try (RedisLogContext.Scope scope = RedisLogContext.openUserContext("alice")) {
			log.error("failed-" + this.run, new IllegalStateException("boom"));
			log.info("next-" + this.run);
		}
		await().until(() -> lines(browser).contains("next-" + this.run));
		List<String> whole = lines(browser);
		assertThat(whole.indexOf("next-" + this.run) - whole.indexOf("failed-" + this.run)).isGreaterThan(3);

		browser.findElement(By.cssSelector(".redis-log-fold")).click();
		await().until(() -> lines(browser).size() < whole.size());
		List<String> folded = lines(browser);
		assertThat(folded.subList(folded.indexOf("failed-" + this.run), folded.size())).satisfiesExactly(
				(line) -> assertThat(line).isEqualTo("failed-" + this.run),
				(line) -> assertThat(line).isEqualTo("  \u2502 java.lang.IllegalStateException: boom"),
				(line) -> assertThat(line).matches("  \u2502 \u2026 [0-9]+ more lines"),
				(line) -> assertThat(line).isEqualTo("next-" + this.run));

		browser.findElement(By.cssSelector(".redis-log-fold")).click();
		await().until(() -> lines(browser).equals(whole));
	}

	@Test
	void pageResumesAfterItsStreamDropsWithoutLosingOrRepeatingALine() {
		ChromeDriver browser = signIn("alice");
		awaitLive(browser);
		logAs("User.alice", "before-" + this.run);
		await().until(() -> lines(browser).contains("before-" + this.run));

		this.reader.stop();
		await().until(() -> !"live".equals(status(browser)));
		logAs("User.alice", "during-1-" + this.run, "during-2-" + this.run, "during-3-" + this.run);
		this.reader.start();

		await().until(() -> lines(browser).contains("during-3-" + this.run));
		awaitLive(browser);
		logAs("User.alice", "after-" + this.run);
		await().until(() -> lines(browser).contains("after-" + this.run));
		assertThat(lines(browser)).filteredOn((line) -> line.endsWith(this.run))
			.containsExactly("before-" + this.run, "during-1-" + this.run, "during-2-" + this.run,
					"during-3-" + this.run, "after-" + this.run);
	}

	@Test
	void adminSwitchesToAJobAndToTheGlobalStream() {
		String job = RedisLogContext.newJobId("report");
		logAs(null, "global-" + this.run);
		try (RedisLogContext.Scope user = RedisLogContext.openUserContext("alice")) {
			logAs(job, "job-" + this.run);
		}
		ChromeDriver browser = signIn("admin");
		awaitLive(browser);
		WebElement input = browser.findElement(By.cssSelector(".redis-log-switch input"));
		input.sendKeys(job);
		browser.findElement(By.xpath("//button[text()='Watch']")).click();
		await().until(() -> lines(browser).contains("job-" + this.run));
		assertThat(browser.findElement(By.cssSelector(".redis-log-target")).getText()).isEqualTo(job);
		assertThat(browser.getCurrentUrl()).endsWith("/redis-log/?context=" + job);

		browser.findElement(By.xpath("//button[text()='Global']")).click();
		await().until(() -> lines(browser).contains("global-" + this.run));
		assertThat(lines(browser)).contains("job-" + this.run);
		assertThat(browser.findElement(By.cssSelector(".redis-log-target")).getText()).isEqualTo("global");
	}

	@Test
	void filtersFromTheUrlOnTheServerAndHighlightsMatchesWhenAskedToKeepEveryLine() throws Exception {
		try (RedisLogContext.Scope scope = RedisLogContext.openUserContext("alice")) {
			log.info("quiet-" + this.run);
			log.warn("slow-" + this.run + " timeout after 5s");
			log.warn("disk-" + this.run + " nearly full");
			log.error("failed-" + this.run + " on TIMEOUT");
		}
		ChromeDriver browser = signIn("alice");
		browser.get("http://localhost:" + this.port + "/redis-log/?level=WARN&q=timeout");
		awaitLive(browser);
		await().until(() -> lines(browser).contains("failed-" + this.run + " on TIMEOUT"));
		assertThat(lines(browser)).containsExactly("slow-" + this.run + " timeout after 5s",
				"failed-" + this.run + " on TIMEOUT");
		assertThat(new Select(browser.findElement(By.cssSelector("select[aria-label='minimum level']")))
			.getFirstSelectedOption()
			.getAttribute("value")).isEqualTo("WARN");
		WebElement search = browser.findElement(By.cssSelector("input[aria-label=search]"));
		assertThat(search.getAttribute("value")).isEqualTo("timeout");

		browser.findElement(By.cssSelector(".redis-log-filter input[type=checkbox]")).click();
		await().until(() -> lines(browser).contains("disk-" + this.run + " nearly full"));
		assertThat(browser.getCurrentUrl()).endsWith("/redis-log/?level=WARN&q=timeout&highlight");
		assertThat(lines(browser)).doesNotContain("quiet-" + this.run).hasSize(3);
		assertThat(highlights(browser)).containsExactly("timeout", "TIMEOUT");
		// Downloads take the filter the server applies: in highlight mode the level only.
		assertThat(browser.findElement(By.linkText("NDJSON")).getAttribute("href"))
			.endsWith("/redis-log/download?level=WARN&format=ndjson");

		// '/' goes to the search box; a new search is the URL's too, and survives a reload.
		browser.findElement(By.tagName("body")).sendKeys("/");
		await().until(() -> search.equals(browser.switchTo().activeElement()));
		search.clear();
		search.sendKeys("/disk|full/\n");
		await().until(() -> browser.getCurrentUrl().contains("q=%2Fdisk%7Cfull%2F"));
		browser.navigate().refresh();
		awaitLive(browser);
		await().until(() -> highlights(browser).containsAll(List.of("disk", "full")));
		assertThat(lines(browser)).hasSize(3);
		Files.createDirectories(Path.of("target"));
		Files.write(Path.of("target", "live-view.png"), browser.getScreenshotAs(OutputType.BYTES));
	}

	@Test
	void pausingHoldsNewLinesAndFollowingShowsThemAllInOrderEvenAt320PixelsWide() {
		ChromeDriver browser = signIn("alice");
		browser.manage().window().setSize(new Dimension(320, 640));
		awaitLive(browser);
		assertThat(browser.executeScript("return document.documentElement.scrollWidth <= window.innerWidth"))
			.isEqualTo(true);
		logAs("User.alice", "before-" + this.run);
		await().until(() -> lines(browser).contains("before-" + this.run));

		browser.findElement(By.tagName("body")).sendKeys(" ");
		WebElement pause = browser.findElement(By.cssSelector(".redis-log-pause"));
		await().until(() -> "true".equals(pause.getAttribute("aria-pressed")));
		logAs("User.alice", "held-1-" + this.run, "held-2-" + this.run, "held-3-" + this.run);
		await().until(() -> pause.getText().equals("Follow (3 new lines)"));
		assertThat(lines(browser)).noneMatch((line) -> line.startsWith("held-"));

		pause.click();
		await().until(() -> lines(browser).contains("held-3-" + this.run));
		assertThat(pause.getText()).isEqualTo("Pause");
		// Scrolling up to read pauses as well.
		browser.executeScript("document.querySelector('.redis-log-terminal')"
				+ ".dispatchEvent(new WheelEvent('wheel', {deltaY: -100, bubbles: true}))");
		await().until(() -> "true".equals(pause.getAttribute("aria-pressed")));
		logAs("User.alice", "after-" + this.run);
		await().until(() -> pause.getText().equals("Follow (1 new line)"));
		pause.click();
		await().until(() -> lines(browser).contains("after-" + this.run));
		assertThat(lines(browser)).filteredOn((line) -> line.endsWith(this.run))
			.containsExactly("before-" + this.run, "held-1-" + this.run, "held-2-" + this.run, "held-3-" + this.run,
					"after-" + this.run);
	}

	@Test
	void linesOfTwoInstancesNameTheirInstanceAndAreFilteredApart() {
		String job = alicesJob();
		ChromeDriver browser = watchAlicesJob(job);
		addAs(job, "web-1", "one-" + this.run);
		addAs(job, "web-2", "two-" + this.run);
		addAs(job, "web-1", "three-" + this.run);
		await().until(() -> lines(browser).contains("[web-1] three-" + this.run));
		assertThat(lines(browser)).containsSubsequence("one-" + this.run, "[web-2] two-" + this.run,
				"[web-1] three-" + this.run);

		new Select(browser.findElement(By.cssSelector("select[aria-label=instance]"))).selectByValue("web-2");
		await().until(() -> browser.getCurrentUrl().endsWith("/redis-log/?context=" + job + "&instance=web-2"));
		await().until(() -> lines(browser).contains("two-" + this.run));
		addAs(job, "web-1", "four-" + this.run);
		addAs(job, "web-2", "five-" + this.run);
		await().until(() -> lines(browser).contains("five-" + this.run));
		assertThat(lines(browser)).filteredOn((line) -> line.endsWith(this.run))
			.containsExactly("two-" + this.run, "five-" + this.run);
	}

	@Test
	void dropNotesAndTrimmedHistoryAreMarkersNotRecords() {
		String job = alicesJob();
		ChromeDriver browser = watchAlicesJob(job);
		add(job, "{\"message\":\"3 log records dropped (queue_full) between T1 and T2 " + this.run + "\",\"level\":\"WARN\","
				+ "\"logger\":\"io.github.redislog\"}");
		addAs(job, "web-1", "seen-" + this.run);
		await().until(() -> lines(browser).contains("seen-" + this.run));
		assertThat(lines(browser))
			.contains("\u2504\u2504 3 log records dropped (queue_full) between T1 and T2 " + this.run + " \u2504\u2504");

		this.reader.stop();
		await().until(() -> !"live".equals(status(browser)));
		for (int i = 0; i < 5; i++) {
			addAs(job, "web-1", "later-" + i + "-" + this.run);
		}
		redis.template().opsForStream().trim(this.streams.channel(job).streamKey(), 2);
		this.reader.start();
		await().until(() -> lines(browser).contains("later-4-" + this.run));
		List<String> lines = lines(browser);
		assertThat(lines.subList(lines.indexOf("seen-" + this.run) + 1, lines.size())).containsExactly(
				"\u2504\u2504 history trimmed or expired: lines before the next one may be missing \u2504\u2504",
				"later-3-" + this.run, "later-4-" + this.run);
	}

	// A job of alice's, with its first line: its own stream, so that no other test's lines show in it.
	private String alicesJob() {
		String job = RedisLogContext.newJobId("batch");
		try (RedisLogContext.Scope user = RedisLogContext.openUserContext("alice");
				RedisLogContext.Scope scope = RedisLogContext.open(job)) {
			log.info("started-" + this.run);
		}
		await().until(() -> this.streams.lastId(this.streams.channel(job)) != null);
		return job;
	}

	private ChromeDriver watchAlicesJob(String job) {
		ChromeDriver browser = signIn("alice");
		browser.get("http://localhost:" + this.port + "/redis-log/?context=" + job);
		awaitLive(browser);
		return browser;
	}

	private void addAs(String job, String pod, String message) {
		add(job, "{\"message\":\"" + message + "\",\"level\":\"INFO\",\"pod\":\"" + pod + "\"}");
	}

	private void add(String job, String json) {
		redis.template()
			.opsForStream()
			.add(StreamRecords.string(Map.of("data", json)).withStreamKey(this.streams.channel(job).streamKey()));
	}

	@Test
	void aUserOpensTheirJobFromTheJobsMenu() {
		String job = alicesJob();
		ChromeDriver browser = signIn("alice");
		awaitLive(browser);
		Select jobs = new Select(browser.findElement(By.cssSelector("select[aria-label=jobs]")));
		// Other tests of the class may have left jobs of alice's: hers are all listed, hers only.
		await().until(() -> jobs.getOptions().stream().anyMatch((option) -> job.equals(option.getAttribute("value"))));
		assertThat(jobs.getOptions().get(0).getText()).isEqualTo("my jobs (" + (jobs.getOptions().size() - 1) + ")");
		assertThat(jobs.getOptions().stream().filter((option) -> job.equals(option.getAttribute("value"))))
			.singleElement()
			.satisfies((option) -> assertThat(option.getText()).startsWith(job + " \u00b7 ").endsWith(" min left"));
		jobs.selectByValue(job);
		await().until(() -> lines(browser).contains("started-" + this.run));
		assertThat(browser.getCurrentUrl()).endsWith("/redis-log/?context=" + job);
	}

	private ChromeDriver signIn(String user) {
		ChromeDriver browser = this.chromium.driver();
		browser.get("http://localhost:" + this.port + "/redis-log/");
		browser.findElement(By.id("username")).sendKeys(user);
		browser.findElement(By.id("password")).sendKeys("password");
		browser.findElement(By.cssSelector("button[type=submit]")).click();
		await().until(() -> browser.getCurrentUrl().contains("/redis-log/"));
		return browser;
	}

	private static void awaitLive(ChromeDriver browser) {
		await().until(() -> "live".equals(status(browser)));
	}

	private static String status(ChromeDriver browser) {
		return browser.findElement(By.cssSelector(".redis-log-status")).getText();
	}

	@SuppressWarnings("unchecked")
	private static List<String> highlights(ChromeDriver browser) {
		return (List<String>) browser
			.executeScript("return document.querySelector('[data-redis-log]').redisLog.highlights()");
	}

	@SuppressWarnings("unchecked")
	private static List<String> lines(ChromeDriver browser) {
		return (List<String>) browser
			.executeScript("return document.querySelector('[data-redis-log]').redisLog.lines()");
	}

	private static void logAs(String contextId, String... messages) {
		try (MDC.MDCCloseable scope = (contextId != null) ? MDC.putCloseable(RedisLogContext.MDC_KEY, contextId) : null) {
			for (String message : messages) {
				log.info(message);
			}
		}
	}

}
