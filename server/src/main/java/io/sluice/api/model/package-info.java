/**
 * The AWS service model of Firehose and the checks AWS makes on a request before any operation
 * logic: the binding of JSON values to model types and the model's constraints.
 *
 * <p>{@link io.sluice.api.model.ServiceModel#firehose()} is the model, read once from the derived
 * resource {@code firehose-2015-08-04.json} in this package (see the README beside it and {@code
 * tools/derive-model.py}); nothing here reads AWS's upstream files. {@link
 * io.sluice.api.model.RequestValidator} checks a body parsed into a Jackson {@code JsonNode}:
 *
 * <ol>
 *   <li>A body that is not a JSON object, or a known member whose JSON type does not fit its shape,
 *       is a {@code SerializationException} with Coral's wording; the whole body is read before
 *       any constraint is reported.
 *   <li>Otherwise every broken constraint (required, length, value range, pattern, enum) of the
 *       whole input, depth first in model member order and at most ten like AWS, is one {@code
 *       ValidationException}: {@code 1 validation error detected: Value '<value>' at '<path>'
 *       failed to satisfy constraint: <constraint>}, or {@code N validation errors detected:} with
 *       items joined by {@code "; "}.
 * </ol>
 *
 * <p>Unknown members are ignored, member names are case-sensitive, JSON null means absent. Work is
 * bounded by the input's size and the model's depth: unknown members are never visited, patterns
 * are only run on values of at most 1024 characters or their shape's max length, and echoed values
 * are cut at 1024 characters. All types here are immutable and thread-safe.
 */
package io.sluice.api.model;
