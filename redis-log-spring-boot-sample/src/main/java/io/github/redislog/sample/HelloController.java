package io.github.redislog.sample;

import java.security.Principal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Greets the signed-in user; the record goes to the user's stream.
 *
 * @author Redis Log contributors
 */
@RestController
final class HelloController {

	private static final Logger logger = LoggerFactory.getLogger(HelloController.class);

	@GetMapping("/hello")
	String hello(Principal principal) {
		logger.info("Hello, {}", principal.getName());
		return "Hello, " + principal.getName() + "!";
	}

}
