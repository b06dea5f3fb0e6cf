package io.github.redislog.test;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * A Server-Sent Events client over {@code java.net.http}, for assertions: it reads the
 * stream on a thread of its own and keeps every event and comment it parsed.
 *
 * @author Redis Log contributors
 */
public final class SseClient implements AutoCloseable {

	private final HttpResponse<Stream<String>> response;

	private final List<Event> events = new CopyOnWriteArrayList<>();

	private final List<String> comments = new CopyOnWriteArrayList<>();

	private volatile boolean ended;

	private SseClient(HttpResponse<Stream<String>> response) {
		this.response = response;
		Thread reader = new Thread(this::read, "sse-client");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Open an event stream and wait for the response's headers.
	 * @param http the client to send with
	 * @param uri the stream's address
	 * @param user the user to sign in as with HTTP Basic (password {@code password}), or
	 * {@code null} for none
	 * @param headers more request headers, such as {@code Last-Event-ID}
	 * @return the connected client
	 * @throws Exception if the request fails or no headers arrive within 10 seconds
	 */
	public static SseClient open(HttpClient http, URI uri, @Nullable String user, Map<String, String> headers)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
		if (user != null) {
			request.header("Authorization", BasicAuthentication.header(user));
		}
		headers.forEach(request::header);
		return new SseClient(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
			.get(10, TimeUnit.SECONDS));
	}

	public int status() {
		return this.response.statusCode();
	}

	public HttpResponse<Stream<String>> response() {
		return this.response;
	}

	/**
	 * Return the events received so far.
	 * @return the events, in order
	 */
	public List<Event> events() {
		return this.events.stream().filter((event) -> event.name() == null).toList();
	}

	/**
	 * Return the events of a type received so far.
	 * @param name the event type, for example {@code gap}
	 * @return the events, in order
	 */
	public List<Event> events(String name) {
		return this.events.stream().filter((event) -> name.equals(event.name())).toList();
	}

	/**
	 * Return the data of the {@code end} event that closed the stream.
	 * @return why the server ended the stream, or {@code null} if it did not say
	 */
	public @Nullable String endReason() {
		return this.events.stream()
			.filter((event) -> "end".equals(event.name()))
			.map(Event::data)
			.findFirst()
			.orElse(null);
	}

	/**
	 * Return the ids of the events received so far.
	 * @return the ids, in order
	 */
	public List<String> ids() {
		return events().stream().map(Event::id).toList();
	}

	/**
	 * Return the comments received so far.
	 * @return the comments' text, in order
	 */
	public List<String> comments() {
		return new ArrayList<>(this.comments);
	}

	/**
	 * Return whether the server ended the stream.
	 * @return whether the response body is complete
	 */
	public boolean ended() {
		return this.ended;
	}

	/**
	 * Return the id of the last event received.
	 * @return the id
	 * @throws IllegalStateException if no event was received
	 */
	public String lastId() {
		List<Event> received = events();
		if (received.isEmpty()) {
			throw new IllegalStateException("No event received");
		}
		return received.get(received.size() - 1).id();
	}

	/**
	 * Disconnect.
	 */
	@Override
	public void close() {
		this.response.body().close();
	}

	private void read() {
		String id = null;
		String name = null;
		StringBuilder data = null;
		try {
			for (String line : (Iterable<String>) this.response.body()::iterator) {
				if (line.isEmpty()) {
					if (data != null) {
						this.events.add(new Event(id, data.toString(), name));
					}
					id = null;
					name = null;
					data = null;
				}
				else if (line.startsWith(":")) {
					this.comments.add(line.substring(1));
				}
				else if (line.startsWith("event:")) {
					name = value(line);
				}
				else if (line.startsWith("id:")) {
					id = value(line);
				}
				else if (line.startsWith("data:")) {
					data = (data != null) ? data.append('\n').append(value(line)) : new StringBuilder(value(line));
				}
			}
			this.ended = true;
		}
		catch (UncheckedIOException | IllegalStateException ex) {
			// Closed by close(), or the connection broke.
			this.ended = true;
		}
	}

	private static String value(String line) {
		String value = line.substring(line.indexOf(':') + 1);
		return value.startsWith(" ") ? value.substring(1) : value;
	}

	/**
	 * Return an HTTP client for event streams: HTTP/1.1, as browsers use for them.
	 * @return a new client
	 */
	public static HttpClient httpClient() {
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	/**
	 * A received event.
	 *
	 * @param id the event's id
	 * @param data the event's data
	 * @param name the event's type, or {@code null} for a message
	 */
	public record Event(@Nullable String id, String data, @Nullable String name) {

	}

}
