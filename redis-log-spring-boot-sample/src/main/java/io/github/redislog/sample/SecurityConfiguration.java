package io.github.redislog.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Security of the sample: every endpoint needs a user, who signs in with HTTP Basic or
 * the login form.
 *
 * @author Redis Log contributors
 */
@Configuration(proxyBeanMethods = false)
final class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.httpBasic(Customizer.withDefaults())
			.formLogin(Customizer.withDefaults())
			// An API for curl, not for browsers' forms.
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/jobs"))
			.build();
	}

	@Bean
	UserDetailsService userDetailsService() {
		PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
		return new InMemoryUserDetailsManager(user("alice", encoder), user("bob", encoder));
	}

	private static UserDetails user(String name, PasswordEncoder encoder) {
		return User.withUsername(name).password(encoder.encode("password")).roles("USER").build();
	}

}
