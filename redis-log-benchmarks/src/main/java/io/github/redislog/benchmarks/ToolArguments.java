package io.github.redislog.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name=value} arguments of a tool: the ones it names, and every other one as a
 * Spring property of the application under test, for example
 * {@code --redis-log.batch-size=500}.
 *
 * @author Redis Log contributors
 */
final class ToolArguments {

	private final Map<String, String> named = new HashMap<>();

	private final List<String> springArguments = new ArrayList<>();

	private ToolArguments() {
	}

	/**
	 * Split the arguments into the tool's own and Spring properties.
	 * @param args the arguments
	 * @param names the names of the tool's own options
	 * @return the arguments
	 */
	static ToolArguments parse(String[] args, Set<String> names) {
		ToolArguments arguments = new ToolArguments();
		for (String arg : args) {
			String[] pair = arg.replaceFirst("^--", "").split("=", 2);
			if (names.contains(pair[0])) {
				arguments.named.put(pair[0], (pair.length > 1) ? pair[1] : "");
			}
			else {
				arguments.springArguments.add(arg);
			}
		}
		return arguments;
	}

	int intValue(String name, int defaultValue) {
		String value = this.named.get(name);
		return (value != null) ? Integer.parseInt(value) : defaultValue;
	}

	long longValue(String name, long defaultValue) {
		String value = this.named.get(name);
		return (value != null) ? Long.parseLong(value) : defaultValue;
	}

	List<Integer> integers(String name, List<Integer> defaultValue) {
		String value = this.named.get(name);
		return (value != null) ? Arrays.stream(value.split(",")).map(String::trim).map(Integer::valueOf).toList()
				: defaultValue;
	}

	List<String> springArguments() {
		return this.springArguments;
	}

}
