package io.github.redislog.writer;

import java.io.IOException;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;

/**
 * Writes a batch's commands (see {@link LogBatch}) to a Redis Cluster over a connection
 * of its own per master that speaks the Redis protocol directly, as
 * {@link DirectRedisLogPublisher} does to a standalone Redis: each master's share of the
 * batch is encoded into one buffer and sent in one write, to every master before reading
 * any reply, and the replies are only read for errors. A client library spends most of the
 * delivery's CPU on objects, futures and routing per command; this publisher spends
 * almost none. See {@code BENCHMARKS.md} for the figures.
 * <p>
 * Each command goes to the master of its key's slot ({@link ClusterCommandRouter}), as
 * the application's Lettuce cluster client knows the slots ({@link ClusterTopology}). A
 * master that replies {@code MOVED} corrects that slot at once, and the client learns the
 * topology anew in the background; so does a master whose connection failed, which is
 * closed while the others' stay. Either way the commands without an accepted reply go
 * again with the next attempt: a {@code MOVED} is a refusal for now, and a failed
 * master's commands have no reply. A batch that left commands without a reply throws a
 * {@link RedisConnectionFailureException} after the batch was told the replies that did
 * arrive. A command that a master redirects with {@code ASK}, its slot migrating, goes to
 * the node named in the same attempt, preceded by {@code ASKING} ({@link AskedCommands});
 * if that fails, the {@code ASK} stands as a refusal for now.
 * <p>
 * It suits a cluster reached over TCP without TLS; otherwise
 * {@link PipelinedRedisLogPublisher} goes through Spring Data Redis. A {@code PUBLISH}
 * reply counts only the subscribers of the master it reached, so the batch is not told it:
 * with {@code redis-log.pubsub=auto} every record is published.
 *
 * @author Redis Log contributors
 */
public final class ClusterDirectRedisLogPublisher extends ConnectionHoldingPublisher<ClusterConnections> {

	private final RespEndpoint login;

	private final ClusterTopology topology;

	private final ClusterCommandRouter router;

	private final AskedCommands asked;

	private final MasterReplies replies = new MasterReplies();

	private final AskedReplies askedReplies = new AskedReplies();

	// The topology the connections were last checked against.
	private @Nullable ClusterSlots connectedFor;

	/**
	 * Create a publisher.
	 * @param connectionFactory the application's Lettuce connection factory for the
	 * cluster, whose client knows the slots
	 * @param login how to log in to every master: the credentials and timeouts; its host
	 * and port are those of a node the application named, for messages
	 * @param streamMaxLength the approximate number of entries each stream keeps
	 */
	public ClusterDirectRedisLogPublisher(RedisConnectionFactory connectionFactory, RespEndpoint login,
			long streamMaxLength) {
		Assert.isTrue(connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.isClusterAware(),
				"'connectionFactory' must be a LettuceConnectionFactory for a Redis Cluster");
		this.login = login;
		this.topology = new ClusterTopology((LettuceConnectionFactory) connectionFactory);
		this.router = new ClusterCommandRouter(streamMaxLength);
		this.asked = new AskedCommands(streamMaxLength);
	}

	@Override
	public void publish(LogBatch batch, Runnable whileRedisWorks) {
		ClusterSlots slots = this.topology.slots();
		this.router.reset(slots);
		batch.write(this.router);
		ClusterConnections connections = connection();
		if (slots != this.connectedFor) {
			connections.keepOnlyMastersOf(slots);
			this.connectedFor = slots;
		}
		MasterCommands[] masters = this.router.masters();
		RedisConnectionFailureException failure = null;
		for (int i = 0; i < masters.length; i++) {
			if (masters[i].count() > 0) {
				failure = send(connections, masters[i], slots.address(i), failure);
			}
		}
		whileRedisWorks.run();
		for (int i = 0; i < masters.length; i++) {
			RespConnection sentOn = masters[i].connection();
			if (sentOn != null) {
				failure = receive(connections, sentOn, masters[i], slots.address(i), batch, failure);
			}
		}
		if (!this.asked.isEmpty()) {
			failure = sendAsked(connections, batch, failure);
		}
		if (failure != null) {
			this.topology.refresh();
			throw failure;
		}
		if (this.router.unrouted() > 0) {
			this.topology.refresh();
			throw new RedisConnectionFailureException("No master of the Redis Cluster serves slot "
					+ this.router.unroutedSlot() + " (" + this.router.unrouted() + " commands of the batch)");
		}
	}

	private @Nullable RedisConnectionFailureException send(ClusterConnections connections, MasterCommands master,
			String address, @Nullable RedisConnectionFailureException failure) {
		RespConnection connection;
		try {
			connection = connections.connection(address);
		}
		catch (RedisConnectionFailureException ex) {
			return failed(failure, ex);
		}
		try {
			connection.send(master.buffer());
			master.sentOn(connection);
			return failure;
		}
		catch (IOException | RuntimeException ex) {
			connections.discard(address);
			return failed(failure, new RedisConnectionFailureException(
					"Could not write a batch to the Redis Cluster master at " + address, ex));
		}
	}

	private @Nullable RedisConnectionFailureException receive(ClusterConnections connections,
			RespConnection connection, MasterCommands master, String address, LogBatch batch,
			@Nullable RedisConnectionFailureException failure) {
		this.replies.to(batch, master, address);
		try {
			connection.receive(master.count(), this.replies);
			return failure;
		}
		catch (IOException | RuntimeException ex) {
			// Replies may still be on their way: only a new connection is in step.
			connections.discard(address);
			return failed(failure, new RedisConnectionFailureException(
					"Could not read the replies of the Redis Cluster master at " + address, ex));
		}
	}

	// A slot migrates: each command goes where its master said, after ASKING. Rare, so
	// one node after the other.
	private @Nullable RedisConnectionFailureException sendAsked(ClusterConnections connections, LogBatch batch,
			@Nullable RedisConnectionFailureException failure) {
		try {
			for (String address : this.asked.addresses()) {
				RespCommandBuffer commands = this.asked.encode(address);
				RespConnection connection;
				try {
					connection = connections.connection(address);
				}
				catch (RedisConnectionFailureException ex) {
					failure = failed(failure, ex);
					continue;
				}
				this.askedReplies.to(batch, address);
				try {
					connection.execute(commands, this.askedReplies);
				}
				catch (IOException | RuntimeException ex) {
					connections.discard(address);
					failure = failed(failure, new RedisConnectionFailureException(
							"Could not write the commands asked for to the Redis Cluster node at " + address, ex));
				}
			}
			return failure;
		}
		finally {
			this.asked.clear();
		}
	}

	// Tells the batch a reply, and the topology a slot that moved.
	private void told(LogBatch batch, int command, @Nullable String error, String address) {
		if (error != null && error.startsWith("MOVED ")) {
			ClusterSlots.Redirection moved = ClusterSlots.redirection(error, address);
			if (moved != null) {
				this.topology.moved(moved.slot(), moved.address());
			}
			else {
				this.topology.refresh();
			}
		}
		// A refusal for now, MOVED and ASK included: sent again with the next attempt.
		batch.replied(command, error);
	}

	private static RedisConnectionFailureException failed(@Nullable RedisConnectionFailureException first,
			RedisConnectionFailureException next) {
		if (first == null) {
			return next;
		}
		first.addSuppressed(next);
		return first;
	}

	@Override
	protected ClusterConnections open() {
		return new ClusterConnections(this.login);
	}

	@Override
	protected boolean isUsable(ClusterConnections connections) {
		return !connections.isClosed();
	}

	@Override
	protected void close(ClusterConnections connections) {
		connections.close();
	}

	/**
	 * Tells a batch the replies of one master, by the batch's numbers; keeps the commands
	 * the master redirects with {@code ASK} for another exchange.
	 */
	private final class MasterReplies implements RespConnection.ReplyHandler {

		private @Nullable LogBatch batch;

		private @Nullable MasterCommands master;

		private String address = "";

		void to(LogBatch batch, MasterCommands master, String address) {
			this.batch = batch;
			this.master = master;
			this.address = address;
		}

		@Override
		public void replied(int command, @Nullable String error) {
			MasterCommands master = Objects.requireNonNull(this.master);
			if (error != null && error.startsWith("ASK ")) {
				ClusterSlots.Redirection ask = ClusterSlots.redirection(error, this.address);
				if (ask != null) {
					ClusterDirectRedisLogPublisher.this.asked.add(master, command, ask.address());
				}
			}
			// Told even if asked for elsewhere: stands if that exchange fails.
			told(Objects.requireNonNull(this.batch), master.batchCommand(command), error, this.address);
		}

	}

	/**
	 * Tells a batch the replies of the node that commands were asked to go to, by the
	 * batch's numbers, skipping those of {@code ASKING}.
	 */
	private final class AskedReplies implements RespConnection.ReplyHandler {

		private @Nullable LogBatch batch;

		private String address = "";

		void to(LogBatch batch, String address) {
			this.batch = batch;
			this.address = address;
		}

		@Override
		public void replied(int reply, @Nullable String error) {
			int command = ClusterDirectRedisLogPublisher.this.asked.batchCommand(reply);
			if (command >= 0) {
				told(Objects.requireNonNull(this.batch), command, error, this.address);
			}
		}

	}

}
