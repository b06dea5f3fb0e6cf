package io.github.redislog.sample.log4j2;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web application built on {@code spring-boot-starter-log4j2}, logging through the Log4j2
 * API, with a log file of its own: adding the starter changes none of that.
 *
 * @author Redis Log contributors
 */
@SpringBootApplication
public class Log4j2SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(Log4j2SampleApplication.class, args);
	}

	@Bean
	InMemoryUserDetailsManager users() {
		return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}alice").roles("USER").build(),
				User.withUsername("bob").password("{noop}bob").roles("USER").build());
	}

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.httpBasic(Customizer.withDefaults())
			.build();
	}

	@RestController
	static class GreetingController {

		private static final Logger log = LogManager.getLogger(GreetingController.class);

		@GetMapping("/hello")
		String hello(@RequestParam String token) {
			log.info("Greeting {}", token);
			return "hello";
		}

	}

}
