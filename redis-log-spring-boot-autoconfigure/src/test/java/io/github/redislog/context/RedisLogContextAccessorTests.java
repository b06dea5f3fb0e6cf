package io.github.redislog.context;

import io.github.redislog.RedisLogContext;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisLogContextAccessor}. Every other test closes the application
 * contexts it starts: one left running with the starter would keep the accessor active.
 */
class RedisLogContextAccessorTests {

	private final RedisLogContextAccessor accessor = new RedisLogContextAccessor();

	@AfterEach
	void clearContext() {
		RedisLogContext.restore(null);
	}

	@Test
	void isRegisteredWithTheGlobalRegistry() {
		assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
			.anySatisfy((accessor) -> assertThat(accessor).isInstanceOf(RedisLogContextAccessor.class));
	}

	@Test
	void capturesAndRestoresNothingWhileNoStarterActivatedIt() {
		assertThat(RedisLogContextAccessor.isActive()).as("active before any activation").isFalse();
		ContextSnapshot snapshot;
		try (RedisLogContext.Scope scope = RedisLogContext.openUserContext("alice")) {
			assertThat(this.accessor.getValue()).isNull();
			snapshot = ContextSnapshotFactory.builder().build().captureAll();
			this.accessor.setValue();
			assertThat(RedisLogContext.current()).contains("User.alice");
		}
		try (ContextSnapshot.Scope restored = snapshot.setThreadLocals()) {
			assertThat(RedisLogContext.current()).isEmpty();
		}
		this.accessor.setValue(new RedisLogContext.Snapshot("job_1", "User.alice"));
		assertThat(RedisLogContext.current()).isEmpty();
	}

	@Test
	void staysActiveUntilEveryActivationIsClosed() {
		RedisLogContextAccessor.Activation first = RedisLogContextAccessor.activate();
		RedisLogContextAccessor.Activation second = RedisLogContextAccessor.activate();
		first.close();
		first.close();
		assertThat(RedisLogContextAccessor.isActive()).isTrue();
		second.close();
		assertThat(RedisLogContextAccessor.isActive()).isFalse();
	}

	@Test
	void restoresWhatItReplacedWhileActive() {
		try (RedisLogContextAccessor.Activation activation = RedisLogContextAccessor.activate()) {
			assertThat(this.accessor.getValue()).isNull();
			this.accessor.setValue(new RedisLogContext.Snapshot("job_2", "User.carol"));
			assertThat(RedisLogContext.current()).contains("job_2");
			RedisLogContext.Snapshot previous = this.accessor.getValue();
			this.accessor.setValue();
			assertThat(RedisLogContext.current()).isEmpty();
			this.accessor.restore(previous);
			assertThat(this.accessor.getValue()).isEqualTo(new RedisLogContext.Snapshot("job_2", "User.carol"));
			this.accessor.restore();
			assertThat(this.accessor.getValue()).isNull();
		}
	}

}
