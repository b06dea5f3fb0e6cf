package io.github.redislog.writer;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * One TCP connection to Redis that sends a {@link RespCommandBuffer} in one write and
 * reads one reply per command, without a client library's per-command objects. Every
 * exchange is bounded by the endpoint's timeout, writing included: a Redis that stopped
 * reading cannot hold the caller forever. {@link #close()} may be called from another
 * thread to end an exchange at once.
 *
 * @author Redis Log contributors
 */
public final class RespConnection implements Closeable {

	private final SocketChannel channel;

	private final Selector selector;

	private final SelectionKey key;

	private final long timeoutNanos;

	private final RespReplyReader replies = new RespReplyReader(this::fill);

	private RespConnection(SocketChannel channel, Selector selector, long timeoutNanos) throws IOException {
		this.channel = channel;
		this.selector = selector;
		this.key = channel.register(selector, 0);
		this.timeoutNanos = timeoutNanos;
	}

	/**
	 * Connect to an endpoint and log in: {@code AUTH} if it has a password, {@code SELECT}
	 * unless its database is 0.
	 * @param endpoint the endpoint
	 * @return the open connection
	 * @throws IOException if Redis cannot be reached, does not reply in time or refuses
	 * the login
	 */
	public static RespConnection open(RespEndpoint endpoint) throws IOException {
		SocketChannel channel = SocketChannel.open();
		Selector selector = null;
		try {
			channel.configureBlocking(false);
			channel.socket().setTcpNoDelay(true);
			selector = Selector.open();
			RespConnection connection = new RespConnection(channel, selector, endpoint.timeout().toNanos());
			connection.connect(new InetSocketAddress(endpoint.host(), endpoint.port()),
					endpoint.connectTimeout().toNanos());
			connection.logIn(endpoint);
			return connection;
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			if (selector != null) {
				selector.close();
			}
			throw ex;
		}
	}

	/**
	 * Write the buffer's commands and read their replies.
	 * @param commands the commands
	 * @return the first error reply, or {@code null} if Redis took every command
	 * @throws IOException if the connection failed or Redis did not reply in time; the
	 * connection is then unusable
	 */
	public @Nullable String execute(RespCommandBuffer commands) throws IOException {
		String[] firstError = new String[1];
		execute(commands, (command, error) -> {
			if (firstError[0] == null) {
				firstError[0] = error;
			}
		});
		return firstError[0];
	}

	/**
	 * Write the buffer's commands and read their replies, telling each one as it arrives:
	 * if the connection fails part way, the replies told so far stand.
	 * @param commands the commands
	 * @param replies told the reply to each command, in order
	 * @throws IOException if the connection failed or Redis did not reply in time; the
	 * connection is then unusable
	 */
	public void execute(RespCommandBuffer commands, ReplyHandler replies) throws IOException {
		send(commands);
		receive(commands.commands(), replies);
	}

	/**
	 * Write the buffer's commands, within the timeout; {@link #receive} reads their
	 * replies. Meanwhile the caller may do other work while Redis runs the commands.
	 * @param commands the commands
	 * @throws IOException if the connection failed or Redis did not take the commands in
	 * time; the connection is then unusable
	 */
	public void send(RespCommandBuffer commands) throws IOException {
		long deadline = System.nanoTime() + this.timeoutNanos;
		ByteBuffer encoded = commands.encoded();
		while (encoded.hasRemaining()) {
			if (this.channel.write(encoded) == 0) {
				await(SelectionKey.OP_WRITE, deadline);
			}
		}
	}

	/**
	 * Read the replies to commands {@link #send sent}, within the timeout, telling each one
	 * as it arrives: if the connection fails part way, the replies told so far stand.
	 * @param commands how many commands were sent, hence replies to read
	 * @param replies told the reply to each command, in order
	 * @throws IOException if the connection failed or Redis did not reply in time; the
	 * connection is then unusable
	 */
	public void receive(int commands, ReplyHandler replies) throws IOException {
		this.replies.read(commands, replies, System.nanoTime() + this.timeoutNanos);
	}

	@Override
	public void close() throws IOException {
		try {
			this.channel.close();
		}
		finally {
			this.selector.wakeup();
			this.selector.close();
		}
	}

	private void connect(InetSocketAddress address, long timeoutNanos) throws IOException {
		long deadline = System.nanoTime() + timeoutNanos;
		if (!this.channel.connect(address)) {
			while (!this.channel.finishConnect()) {
				await(SelectionKey.OP_CONNECT, deadline);
			}
		}
	}

	private void logIn(RespEndpoint endpoint) throws IOException {
		RespCommandBuffer handshake = new RespCommandBuffer(256);
		char[] password = endpoint.password();
		if (password != null) {
			ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
			byte[] secret = new byte[encoded.remaining()];
			encoded.get(secret);
			if (endpoint.username() != null) {
				handshake.command(3).argument(bytes("AUTH")).argument(bytes(endpoint.username())).argument(secret);
			}
			else {
				handshake.command(2).argument(bytes("AUTH")).argument(secret);
			}
		}
		if (endpoint.database() != 0) {
			handshake.command(2).argument(bytes("SELECT")).argument(endpoint.database());
		}
		if (handshake.commands() > 0) {
			String error = execute(handshake);
			if (error != null) {
				throw new IOException("Redis at " + endpoint + " refused the login: " + error);
			}
		}
	}

	// Reads what Redis sent into the reader's buffer, waiting for it until the deadline.
	private void fill(ByteBuffer buffer, long deadline) throws IOException {
		int read;
		while ((read = this.channel.read(buffer)) == 0) {
			await(SelectionKey.OP_READ, deadline);
		}
		if (read < 0) {
			throw new EOFException("Redis closed the connection");
		}
	}

	// Wait until the channel may be ready for the operation; the caller tries it again.
	private void await(int operation, long deadline) throws IOException {
		long left = deadline - System.nanoTime();
		if (left <= 0) {
			throw new SocketTimeoutException("Redis did not respond within the timeout");
		}
		// An interrupted thread's select returns at once: it would spin until the deadline.
		if (Thread.currentThread().isInterrupted()) {
			throw new InterruptedIOException("Interrupted while waiting for Redis");
		}
		this.key.interestOps(operation);
		this.selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
		this.selector.selectedKeys().clear();
		if (!this.channel.isOpen()) {
			throw new ClosedChannelException();
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Told the reply to each command of an exchange.
	 */
	@FunctionalInterface
	public interface ReplyHandler {

		/**
		 * Take the reply to a command.
		 * @param command the command's number in the buffer, from 0
		 * @param error the error reply (the first one of a nested reply), or {@code null}
		 * if Redis took the command
		 */
		void replied(int command, @Nullable String error);

		/**
		 * Take the value of an integer reply, just before it is {@link #replied told}.
		 * @param command the command's number in the buffer, from 0
		 * @param value the reply's value, such as the number of clients a {@code PUBLISH}
		 * reached
		 */
		default void integerReplied(int command, long value) {
		}

	}

}
