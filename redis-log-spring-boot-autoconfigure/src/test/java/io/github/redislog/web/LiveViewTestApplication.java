package io.github.redislog.web;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A secured web application with the live view: users {@code alice} and {@code bob}, and
 * {@code admin} with {@code ROLE_ADMIN}, all with password {@code password}. The event
 * streams are open to everyone in the filter chain, so that the endpoint's own checks
 * answer; everything else needs a user, by HTTP Basic or the login form.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class LiveViewTestApplication {

	// Not the manager itself: as a UserDetailsPasswordService it would re-encode the password
	// with BCrypt on every request, which makes a flood of requests a test of BCrypt.
	@Bean
	UserDetailsService users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("alice").password("{noop}password").roles("USER").build(),
				User.withUsername("bob").password("{noop}password").roles("USER").build(),
				User.withUsername("admin").password("{noop}password").roles("USER", "ADMIN").build())::loadUserByUsername;
	}

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) {
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/redis-log/stream/**")
				.permitAll()
				.anyRequest()
				.authenticated())
			.httpBasic(Customizer.withDefaults())
			.formLogin(Customizer.withDefaults())
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/redis-log/stream/**"))
			.build();
	}

}
