package io.github.redislog.writer;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What one attempt to write a {@link LogBatch} settled.
 *
 * @param acceptedCommands how many commands Redis accepted
 * @param delivered the records (and notes) whose every command Redis accepted
 * @param rejected the records (and notes) with a command Redis refused for good, or that
 * the publisher never answered
 * @param lastError the last transient error or unknown outcome, or {@code null} if nothing
 * is left to retry
 * @param refusedOwners the owners ({@code SET ... NX}) refused for good although the
 * entries they serve are in the stream, each with its key and error
 * @param refusedExpiries the expiries refused for good although the entries they serve are
 * in the stream, each with its key and error, for example
 * {@code EXPIRE stream:logs:global: NOPERM ...}
 * @author Redis Log contributors
 */
public record AttemptOutcome(int acceptedCommands, List<BatchEntry> delivered, List<BatchEntry> rejected,
		@Nullable String lastError, List<String> refusedOwners, List<String> refusedExpiries) {

}
