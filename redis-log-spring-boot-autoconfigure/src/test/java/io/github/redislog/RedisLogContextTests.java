package io.github.redislog;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RedisLogContext}.
 */
class RedisLogContextTests {

	@AfterEach
	void noContextLeaks() {
		assertThat(MDC.get(RedisLogContext.MDC_KEY)).isNull();
		assertThat(MDC.get(RedisLogContext.OWNER_MDC_KEY)).isNull();
	}

	@Test
	void newJobIdIsPrefixAndRandomUuid() {
		assertThat(RedisLogContext.newJobId("task")).matches("task_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
		assertThat(RedisLogContext.newJobId("task")).isNotEqualTo(RedisLogContext.newJobId("task"));
	}

	@Test
	void rejectsEmptyIds() {
		assertThatIllegalArgumentException().isThrownBy(() -> RedisLogContext.newJobId(""));
		assertThatIllegalArgumentException().isThrownBy(() -> RedisLogContext.open(""));
	}

	@Test
	void refusesToOpenAUsersContextUnlessAskedExplicitly() {
		assertThatIllegalArgumentException().isThrownBy(() -> RedisLogContext.open("User.alice"))
			.withMessageContaining("openUserContext");
		assertThat(RedisLogContext.current()).isEmpty();
		try (RedisLogContext.Scope user = RedisLogContext.openUserContext("alice")) {
			assertThat(RedisLogContext.current()).contains("User.alice");
		}
	}

	@Test
	void scopeRecordsTheOutermostContextAsOwnerAndRestoresBoth() {
		try (RedisLogContext.Scope user = RedisLogContext.openUserContext("alice")) {
			assertThat(MDC.get(RedisLogContext.OWNER_MDC_KEY)).isNull();
			try (RedisLogContext.Scope job = RedisLogContext.open("job_1")) {
				try (RedisLogContext.Scope step = RedisLogContext.open("job_2")) {
					assertThat(RedisLogContext.current()).contains("job_2");
					assertThat(MDC.get(RedisLogContext.OWNER_MDC_KEY)).isEqualTo("User.alice");
				}
				assertThat(RedisLogContext.current()).contains("job_1");
				assertThat(MDC.get(RedisLogContext.OWNER_MDC_KEY)).isEqualTo("User.alice");
			}
			assertThat(RedisLogContext.current()).contains("User.alice");
			assertThat(MDC.get(RedisLogContext.OWNER_MDC_KEY)).isNull();
		}
		assertThat(RedisLogContext.current()).isEmpty();
	}

	@Test
	void wrappedTaskRunsInTheContextOfTheThreadThatWrappedIt() throws Exception {
		AtomicReference<String> owner = new AtomicReference<>();
		Runnable task;
		try (RedisLogContext.Scope user = RedisLogContext.openUserContext("bob")) {
			task = RedisLogContext.wrap(() -> {
				try (RedisLogContext.Scope job = RedisLogContext.open("job_3")) {
					owner.set(MDC.get(RedisLogContext.OWNER_MDC_KEY));
				}
			});
		}
		CompletableFuture.runAsync(() -> {
			task.run();
			assertThat(RedisLogContext.current()).isEmpty();
		}).get();
		assertThat(owner).hasValue("User.bob");
	}

	@Test
	void restoredSnapshotKeepsItsOwnerAndScopeRestoresThePreviousContext() {
		RedisLogContext.Snapshot snapshot;
		try (RedisLogContext.Scope user = RedisLogContext.openUserContext("alice");
				RedisLogContext.Scope job = RedisLogContext.open("job_4")) {
			snapshot = RedisLogContext.capture();
		}
		assertThat(snapshot).isEqualTo(new RedisLogContext.Snapshot("job_4", "User.alice"));
		assertThat(RedisLogContext.capture()).isNull();
		try (RedisLogContext.Scope user = RedisLogContext.openUserContext("bob")) {
			try (RedisLogContext.Scope restored = RedisLogContext.restore(snapshot)) {
				assertThat(RedisLogContext.current()).contains("job_4");
				assertThat(MDC.get(RedisLogContext.OWNER_MDC_KEY)).isEqualTo("User.alice");
			}
			assertThat(RedisLogContext.capture()).isEqualTo(new RedisLogContext.Snapshot("User.bob", null));
			try (RedisLogContext.Scope none = RedisLogContext.restore(null)) {
				assertThat(RedisLogContext.current()).isEmpty();
			}
			assertThat(RedisLogContext.current()).contains("User.bob");
		}
	}

	@Test
	void contextsAreConfinedToTheirThread() throws Exception {
		try (RedisLogContext.Scope scope = RedisLogContext.open("job_main")) {
			assertThat(CompletableFuture.supplyAsync(RedisLogContext::current).get()).isEmpty();
		}
	}

}
