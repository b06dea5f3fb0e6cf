package io.github.redislog.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

import io.github.redislog.wire.LogChannel;
import io.github.redislog.wire.PubSubMode;

import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;

/**
 * The commands the starter sends for a run of records, replayed without the starter: per
 * record and channel {@code XADD stream:{channel} MAXLEN ~ {maxLength} * data {json}} and
 * {@code PUBLISH {channel} {json}}, and once per batch an {@code EXPIRE} of each stream key
 * the batch touched ({@code SPUBLISH} instead of {@code PUBLISH}, or neither, as
 * {@code redis-log.pubsub} says). Record {@code i} was logged by emitter {@code i % contexts} in the
 * context {@code User.load-{emitter}}, so it goes to that user's channel and the global one,
 * and carries payload {@code i % payloads.size()}: real payloads read back from Redis.
 *
 * @author Redis Log contributors
 */
final class CommandMix {

	private static final byte[] DATA = bytes(LogChannel.PAYLOAD_FIELD);

	private final String prefix;

	private final PubSubMode pubSub;

	private final int contexts;

	private final List<byte[]> payloads;

	private final int batchSize;

	private final long maxLength;

	private final long contextTtlSeconds;

	private final long globalTtlSeconds;

	CommandMix(String prefix, PubSubMode pubSub, int contexts, List<byte[]> payloads, int batchSize, long maxLength,
			long contextTtlSeconds, long globalTtlSeconds) {
		this.prefix = prefix;
		this.pubSub = pubSub;
		this.contexts = contexts;
		this.payloads = payloads;
		this.batchSize = batchSize;
		this.maxLength = maxLength;
		this.contextTtlSeconds = contextTtlSeconds;
		this.globalTtlSeconds = globalTtlSeconds;
	}

	static String contextId(int emitter) {
		return "User." + username(emitter);
	}

	// A user's context is opened by username: RedisLogContext keeps "User." to itself.
	static String username(int emitter) {
		return "load-" + emitter;
	}

	/**
	 * Commands one record makes.
	 * @return {@code XADD} and {@code PUBLISH} for each of its two channels
	 */
	static int commandsPerRecord() {
		return 4;
	}

	String globalStreamKey() {
		return "stream:" + this.prefix + ":global";
	}

	/**
	 * Return whether a key or channel is the global one, which every record goes to.
	 * @param key a stream key or a channel
	 * @return whether it is {@code stream:{prefix}:global} or {@code {prefix}:global}
	 */
	boolean isGlobal(byte[] key) {
		return Arrays.equals(key, bytes(globalStreamKey())) || Arrays.equals(key, bytes(this.prefix + ":global"));
	}

	/**
	 * Write the commands for the given number of records as RESP, for
	 * {@code redis-cli --pipe}, each to the output its key (or channel) is routed to: on a
	 * cluster, one output per node, as a client routes them.
	 * @param records how many records
	 * @param route the index in {@code outputs} for a key or channel, or {@code -1} to leave
	 * its commands out
	 * @param outputs where to write
	 * @return how many {@code XADD}s were written, in all
	 * @throws IOException if an output cannot be written
	 */
	long writeResp(long records, ToIntFunction<byte[]> route, List<OutputStream> outputs) throws IOException {
		long[] xAdds = new long[1];
		byte[] publish = bytes((this.pubSub == PubSubMode.SHARDED) ? "SPUBLISH" : "PUBLISH");
		send(records, new CommandSink() {

			@Override
			public void xAdd(byte[] streamKey, byte[] payload) throws IOException {
				if (resp(streamKey, bytes("XADD"), streamKey, bytes("MAXLEN"), bytes("~"),
						bytes(Long.toString(CommandMix.this.maxLength)), bytes("*"), DATA, payload)) {
					xAdds[0]++;
				}
			}

			@Override
			public void publish(byte[] channel, byte[] payload) throws IOException {
				resp(channel, publish, channel, payload);
			}

			@Override
			public void expire(byte[] streamKey, long seconds) throws IOException {
				resp(streamKey, bytes("EXPIRE"), streamKey, bytes(Long.toString(seconds)));
			}

			private boolean resp(byte[] key, byte[]... args) throws IOException {
				int output = route.applyAsInt(key);
				if (output < 0) {
					return false;
				}
				CommandMix.resp(outputs.get(output), args);
				return true;
			}

		});
		return xAdds[0];
	}

	/**
	 * Send the commands for the given number of records one call at a time, each waiting
	 * for its reply: the naive way.
	 * @param records how many records
	 * @param redis the template to send with
	 */
	void sendOneByOne(long records, RedisOperations<?, ?> redis) {
		XAddOptions options = XAddOptions.maxlen(this.maxLength).approximateTrimming(true);
		try {
			send(records, new CommandSink() {

				@Override
				public void xAdd(byte[] streamKey, byte[] payload) {
					redis.execute((RedisCallback<?>) (connection) -> connection.streamCommands()
						.xAdd(StreamRecords.rawBytes(Map.of(DATA, payload)).withStreamKey(streamKey), options));
				}

				@Override
				public void publish(byte[] channel, byte[] payload) {
					redis.execute((RedisCallback<?>) (connection) -> (CommandMix.this.pubSub == PubSubMode.SHARDED)
							? connection.execute("SPUBLISH", channel, payload) : connection.publish(channel, payload));
				}

				@Override
				public void expire(byte[] streamKey, long seconds) {
					redis.execute((RedisCallback<?>) (connection) -> connection.keyCommands().expire(streamKey, seconds));
				}

			});
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void send(long records, CommandSink sink) throws IOException {
		byte[][] channels = new byte[this.contexts][];
		byte[][] streamKeys = new byte[this.contexts][];
		for (int i = 0; i < this.contexts; i++) {
			channels[i] = bytes(this.prefix + ":" + contextId(i));
			streamKeys[i] = bytes("stream:" + this.prefix + ":" + contextId(i));
		}
		byte[] globalChannel = bytes(this.prefix + ":global");
		byte[] globalStreamKey = bytes(globalStreamKey());
		Set<Integer> touched = new LinkedHashSet<>();
		for (long i = 0; i < records; i++) {
			int emitter = (int) (i % this.contexts);
			byte[] payload = this.payloads.get((int) (i % this.payloads.size()));
			sink.xAdd(streamKeys[emitter], payload);
			if (this.pubSub != PubSubMode.OFF) {
				sink.publish(channels[emitter], payload);
			}
			sink.xAdd(globalStreamKey, payload);
			if (this.pubSub != PubSubMode.OFF) {
				sink.publish(globalChannel, payload);
			}
			touched.add(emitter);
			if ((i + 1) % this.batchSize == 0 || i + 1 == records) {
				for (int each : touched) {
					sink.expire(streamKeys[each], this.contextTtlSeconds);
				}
				sink.expire(globalStreamKey, this.globalTtlSeconds);
				touched.clear();
			}
		}
	}

	private static void resp(OutputStream out, byte[]... args) throws IOException {
		out.write(bytes("*" + args.length + "\r\n"));
		for (byte[] arg : args) {
			out.write(bytes("$" + arg.length + "\r\n"));
			out.write(arg);
			out.write('\r');
			out.write('\n');
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private interface CommandSink {

		void xAdd(byte[] streamKey, byte[] payload) throws IOException;

		void publish(byte[] channel, byte[] payload) throws IOException;

		void expire(byte[] streamKey, long seconds) throws IOException;

	}

}
