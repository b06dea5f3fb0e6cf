package io.github.redislog.context;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.redislog.RedisLogContext;
import io.micrometer.context.ContextRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisLogContextTaskDecorator}.
 */
class RedisLogContextTaskDecoratorTests {

	private final ExecutorService thread = Executors.newSingleThreadExecutor();

	private final RedisLogContextAccessor.Activation activation = RedisLogContextAccessor.activate();

	@AfterEach
	void stopThread() throws InterruptedException {
		this.activation.close();
		this.thread.shutdownNow();
		assertThat(this.thread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		assertThat(RedisLogContext.current()).isEmpty();
	}

	@Test
	void taskRunsInTheContextAndWithTheOwnerOfTheThreadThatSubmittedIt() throws Exception {
		TaskDecorator decorator = new RedisLogContextTaskDecorator();
		Runnable task;
		try (RedisLogContext.Scope user = RedisLogContext.openUserContext("alice");
				RedisLogContext.Scope job = RedisLogContext.open("job_1")) {
			task = decorator.decorate(() -> assertThat(RedisLogContext.capture())
				.isEqualTo(new RedisLogContext.Snapshot("job_1", "User.alice")));
		}
		this.thread.submit(task).get();
		assertThat(this.thread.submit(RedisLogContext::capture).get()).isNull();
	}

	@Test
	void taskSubmittedWithoutContextNeverSeesOneLeftOnItsThread() throws Exception {
		this.thread.submit(() -> RedisLogContext.openUserContext("leaked")).get();
		Runnable task = new RedisLogContextTaskDecorator()
			.decorate(() -> assertThat(RedisLogContext.current()).isEmpty());
		this.thread.submit(task).get();
		// Restored after the task: a leak is the thread's own business, not the task's.
		assertThat(this.thread.submit(RedisLogContext::current).get()).contains("User.leaked");
		this.thread.submit(() -> RedisLogContext.restore(null)).get();
	}

	@Test
	void leavesOtherThreadLocalValuesToTheDecoratorsThatCarryThem() throws Exception {
		ThreadLocal<String> other = new ThreadLocal<>();
		ContextRegistry.getInstance().registerThreadLocalAccessor("test.other", other);
		try {
			TaskDecorator decorator = new CompositeTaskDecorator(
					List.of(new RedisLogContextTaskDecorator(), new ContextPropagatingTaskDecorator()));
			Runnable task;
			other.set("carried");
			try (RedisLogContext.Scope user = RedisLogContext.openUserContext("bob")) {
				task = decorator.decorate(() -> {
					assertThat(other.get()).isEqualTo("carried");
					assertThat(RedisLogContext.current()).contains("User.bob");
				});
			}
			finally {
				other.remove();
			}
			this.thread.submit(task).get();
			assertThat(this.thread.submit(other::get).get()).isNull();
		}
		finally {
			ContextRegistry.getInstance().removeThreadLocalAccessor("test.other");
		}
	}

}
