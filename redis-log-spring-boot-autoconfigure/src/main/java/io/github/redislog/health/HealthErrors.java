package io.github.redislog.health;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Says what went wrong without saying whose: a health detail may be read by anyone, so it
 * keeps the command, the exception type and Redis' error code (or a message of plain
 * words), and leaves out keys (user names, job ids) and addresses, which only the
 * rate-limited report names.
 *
 * @author Redis Log contributors
 */
final class HealthErrors {

	// How the worker names a refused command: "XADD stream:logs:User.bob: WRONGTYPE ...".
	// Keys are encoded and hold no space.
	private static final Pattern REFUSED_COMMAND = Pattern.compile("([A-Z]+) \\S+: (.*)", Pattern.DOTALL);

	// How an exception names itself: "java.net.ConnectException: Connection refused".
	private static final Pattern EXCEPTION = Pattern
		.compile("(?:[a-zA-Z_$][\\w$]*\\.)*([A-Z][\\w$]*(?:Exception|Error))(?:: (.*))?", Pattern.DOTALL);

	private static final Pattern ERROR_CODE = Pattern.compile("[A-Z][A-Z_]+");

	private static final Pattern PLAIN_WORDS = Pattern.compile("[A-Za-z' ]+");

	private static final String SEPARATOR = ": ";

	private static final String HIDDEN = "(see the log)";

	private HealthErrors() {
	}

	/**
	 * Describe an error without the names in it.
	 * @param error the error, as the worker recorded it
	 * @return the command, exception type and error code it names, or plain words
	 */
	static String describe(@Nullable String error) {
		if (error == null) {
			return "unknown";
		}
		Matcher command = REFUSED_COMMAND.matcher(error);
		if (command.matches()) {
			return command.group(1) + SEPARATOR + describe(command.group(2));
		}
		Matcher exception = EXCEPTION.matcher(error);
		if (exception.matches()) {
			String message = exception.group(2);
			return exception.group(1) + ((message != null) ? SEPARATOR + words(message) : "");
		}
		return words(error);
	}

	// Redis' error code where a cause put it first, plain words as they are, anything else
	// left to the log.
	private static String words(String message) {
		int separator = message.indexOf(SEPARATOR);
		String head = (separator < 0) ? message : message.substring(0, separator);
		int end = head.indexOf(' ');
		String first = (end < 0) ? head : head.substring(0, end);
		if (ERROR_CODE.matcher(first).matches()) {
			return first;
		}
		boolean plain = PLAIN_WORDS.matcher(head).matches();
		if (separator < 0) {
			return plain ? head : HIDDEN;
		}
		String rest = describe(message.substring(separator + SEPARATOR.length()));
		return plain ? head + SEPARATOR + rest : rest;
	}

}
