/**
 * jq 1.6 for dynamic partitioning's {@code MetadataExtraction} (delivery spec §7.2–7.2c): {@link
 * io.sluice.processor.jq.MetadataQuery} compiles a query once per stream configuration and turns each
 * record into its partition keys.
 *
 * <p>The engine is jackson-jq in its jq 1.6 mode. What jq 1.6 does differently is corrected here and
 * checked against Debian's {@code jq-1.6} ({@code MetadataQueryOracleTest}, {@code JqBuiltinsTest}):
 * the date builtins ({@code DateBuiltins}, on glibc's C-locale {@code strftime}/{@code strptime} in
 * UTC), number printing in key values, {@code tostring}, {@code tojson} and string interpolation
 * ({@code JqValues}, {@code Interpolations}), {@code ascii_downcase}/{@code ascii_upcase} and
 * string {@code indices}/{@code index}/{@code rindex} ({@code StringBuiltins}), and some C math
 * functions ({@code MathBuiltins}).
 *
 * <p>Known differences from jq 1.6 that remain:
 *
 * <ul>
 *   <li>Errors raised by jackson-jq's own builtins and operators carry its messages, not jq's (the
 *       record fails either way; only the error output's message differs).
 *   <li>An undefined function or variable is found when a record is evaluated (every record then
 *       fails), not when the configuration is created.
 *   <li>Not available: {@code env}, {@code $ENV} (Sluice's environment is not the records' business),
 *       {@code input}, {@code inputs}, {@code input_line_number}, {@code input_filename}, {@code debug},
 *       {@code stderr}, {@code halt}, {@code halt_error}, {@code $__loc__}, modules; and, missing from
 *       jackson-jq, {@code IN INDEX JOIN isempty repeat tostream fromstream truncate_stream format/1
 *       bsearch scalars_or_empty}, the C math functions of two or three arguments ({@code fmin fmax
 *       fmod fdim copysign drem hypot ldexp scalb scalbln nextafter nexttoward remainder fma}) and
 *       {@code frexp modf gamma lgamma lgamma_r tgamma erf erfc acosh asinh atanh} and the Bessel
 *       functions.
 *   <li>Numbers interpolated under {@code @json}, {@code @csv}, {@code @tsv} or {@code @sh} are printed
 *       by jackson-jq ({@code 1.0E17} style for large or tiny values).
 *   <li>jackson-jq may hold integer results of arithmetic exactly beyond 2^53 where jq rounds each
 *       step to a double; what is printed is rounded to a double, so only comparisons of such
 *       intermediate values can differ.
 *   <li>{@code strptime}: {@code %U %W %V %g %G} are read and ignored, {@code %s} takes no sign;
 *       {@code %Z} in {@code strftime} is {@code UTC} (the local zone is UTC everywhere).
 *   <li>Where jq 1.6 never ends ({@code indices("")} on a string) or aborts ({@code 1|strftime(1)}),
 *       the record fails with an error.
 * </ul>
 */
package io.sluice.processor.jq;
