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
 * the login form. {@code alice} and {@code bob} are users; {@code admin} may also read
 * everyone's logs in the live view.
 *
 * @author Redis Log contributors
 */
@Configuration(proxyBeanMethods = false)
final class SecurityConfiguration {

	private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
			+ "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'";

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.httpBasic(Customizer.withDefaults())
			.formLogin(Customizer.withDefaults())
			// An API for curl, not for browsers' forms.
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/jobs"))
			// The pages run only the scripts they are served with.
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
			.build();
	}

	@Bean
	UserDetailsService userDetailsService() {
		PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
		return new InMemoryUserDetailsManager(user("alice", encoder, "USER"), user("bob", encoder, "USER"),
				user("admin", encoder, "USER", "ADMIN"));
	}

	private static UserDetails user(String name, PasswordEncoder encoder, String... roles) {
		return User.withUsername(name).password(encoder.encode("password")).roles(roles).build();
	}

}
