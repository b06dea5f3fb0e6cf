package io.github.redislog.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A client that downloads over a socket of its own with a small receive buffer, so the
 * server can write no further ahead of it than its socket's buffers hold, and that stops
 * reading now and then. At each stop, if the serving thread is inside the download, the
 * heap is collected and what remains live is counted: with this JVM otherwise idle, the
 * samples above the heap without a download (before or after it, the lower) are what the
 * download holds, most of the time (the median) and at most (the peak). It asks with HTTP/1.0, so the body is the bytes up to the end of the
 * connection, read into one small buffer: the client holds nothing that grows.
 *
 * @author Redis Log contributors
 */
final class DownloadProbe {

	private static final String SERVING_CLASS = "io.github.redislog.web.LogDownload";

	private static final String SERVING_METHOD = "writeTo";

	private static final int RECEIVE_BUFFER = 64 * 1024;

	private static final String DIAGNOSTIC_COMMANDS = "com.sun.management:type=DiagnosticCommand";

	private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

	private final int port;

	DownloadProbe(int port) {
		this.port = port;
	}

	/**
	 * Download and sample.
	 * @param path the request's path and query
	 * @param lines how many lines the download should have
	 * @param stops how many times to stop reading, evenly spread over the first half of
	 * the lines (later, the server may have written the rest into the sockets' buffers)
	 * @return what was measured
	 * @throws IOException if the download fails
	 */
	Result download(String path, long lines, int stops) throws IOException {
		long before = liveHeap();
		long[] live = new long[stops];
		int samples = 0;
		long next = lines / 2 / stops;
		long count = 0;
		long bytes = 0;
		try (Socket socket = new Socket()) {
			socket.setReceiveBufferSize(RECEIVE_BUFFER);
			socket.connect(new InetSocketAddress("127.0.0.1", this.port));
			OutputStream request = socket.getOutputStream();
			request.write(("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			request.flush();
			InputStream body = socket.getInputStream();
			skipHeaders(body);
			byte[] buffer = new byte[8192];
			int read;
			while ((read = body.read(buffer)) != -1) {
				bytes += read;
				for (int i = 0; i < read; i++) {
					if (buffer[i] == '\n' && ++count == next && samples < stops) {
						long sample = sample();
						if (sample >= 0) {
							live[samples++] = sample;
						}
						next += lines / 2 / stops;
					}
				}
			}
		}
		// The heap before may have held what an earlier request left; the lower one counts.
		long idle = Math.min(before, liveHeap());
		if (samples == 0) {
			return new Result(count, bytes, 0, -1, -1);
		}
		Arrays.sort(live, 0, samples);
		return new Result(count, bytes, samples, live[samples / 2] - idle, live[samples - 1] - idle);
	}

	// The heap in use while the download is under way, or -1 if it is not.
	private long sample() {
		if (!serving()) {
			return -1;
		}
		long live = liveHeap();
		return serving() ? live : -1;
	}

	// The bytes of the live objects, as a full collection's class histogram counts them: the
	// heap's usage counts whole regions, and moves by megabytes with where objects happen to lie.
	private long liveHeap() {
		try {
			String histogram = (String) this.server.invoke(new ObjectName(DIAGNOSTIC_COMMANDS), "gcClassHistogram",
					new Object[] { null }, new String[] { String[].class.getName() });
			String total = histogram.lines().filter((line) -> line.startsWith("Total")).findFirst().orElseThrow();
			return Long.parseLong(total.trim().split("\\s+")[2]);
		}
		catch (JMException ex) {
			throw new IllegalStateException("No class histogram from this JVM", ex);
		}
	}

	private static boolean serving() {
		for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
			for (StackTraceElement frame : stack) {
				if (frame.getClassName().equals(SERVING_CLASS) && frame.getMethodName().equals(SERVING_METHOD)) {
					return true;
				}
			}
		}
		return false;
	}

	private static void skipHeaders(InputStream body) throws IOException {
		StringBuilder headers = new StringBuilder();
		while (!headers.toString().endsWith("\r\n\r\n")) {
			int c = body.read();
			if (c == -1) {
				throw new IOException("The response ended within its headers: " + headers);
			}
			headers.append((char) c);
		}
		if (!headers.toString().startsWith("HTTP/1.1 200")) {
			throw new IOException("The download was refused: " + headers);
		}
	}

	/**
	 * What one download measured.
	 *
	 * @param lines the lines received
	 * @param bytes the bytes of the body
	 * @param samples the samples taken while the serving thread was inside the download
	 * @param heldBytes the median of the samples above the heap without a download, or -1
	 * without samples
	 * @param peakBytes the highest sample above the heap without a download, or -1
	 */
	record Result(long lines, long bytes, int samples, long heldBytes, long peakBytes) {

	}

}
