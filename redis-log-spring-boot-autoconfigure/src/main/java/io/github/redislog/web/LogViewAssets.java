package io.github.redislog.web;

import org.springframework.http.CacheControl;
import org.springframework.util.Assert;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the terminal page's scripts and styles, packaged in the jar, under
 * {@code {base-path}/assets/}: no CDN is involved.
 *
 * @author Redis Log contributors
 */
public final class LogViewAssets implements WebMvcConfigurer {

	private static final String LOCATION = "classpath:/io/github/redislog/web/static/";

	private final String basePath;

	/**
	 * Create the assets' registration.
	 * @param basePath the live view's base path, for example {@code /redis-log}
	 */
	public LogViewAssets(String basePath) {
		Assert.hasText(basePath, "'basePath' must not be empty");
		this.basePath = basePath;
	}

	@Override
	public void addResourceHandlers(ResourceHandlerRegistry registry) {
		registry.addResourceHandler(this.basePath + "/assets/**")
			.addResourceLocations(LOCATION)
			// Revalidated on each load, so an upgraded starter is picked up at once.
			.setCacheControl(CacheControl.noCache());
	}

}
