# Sourced by the Lambda benchmarks: builds Firehose's identity transformation in Java under "$work/function"
# and sets "$command", the command line that runs it through AWS's Java runtime interface client (the
# server's test dependency). Needs $root, $work and $JAVA_HOME.
# FUNCTION picks the handler: `map` (default; a RequestHandler whose event the client reads into a Map and
# whose answer it writes back, the usual way to write one) or `stream` (a RequestStreamHandler copying each
# record's id and data from the event to the answer with Jackson's streaming parser and generator, the way a
# function written for throughput reads and writes its JSON). FUNCTION_JAVA_OPTS adds options to the function
# processes' JVMs (e.g. -XX:StartFlightRecording=filename=fn-%p.jfr for a profile of each).
# --- the identity function: its jar, the runtime interface client's classpath, its native layer (once)
(cd "$root" && mvn -B -q -o -ntp dependency:build-classpath -pl server -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/test-classpath.txt") >&2
tr ':' '\n' < "$work/test-classpath.txt" > "$work/test-classpath.lines"
core_jar=$(grep '/aws-lambda-java-core-[^/]*\.jar$' "$work/test-classpath.lines" | head -1)
ric_jar=$(grep '/aws-lambda-java-runtime-interface-client-[^/]*\.jar$' "$work/test-classpath.lines" | head -1)
client_jars=$(grep -E '/(aws-lambda-java-|utils-lite-)[^/]*\.jar$' "$work/test-classpath.lines" | paste -sd:)
mkdir -p "$work/function/src" "$work/function/classes"
cat > "$work/function/src/Identity.java" <<'JAVA'
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Firehose's identity transformation: every record back unchanged, with result Ok. */
public class Identity implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        List<Map<String, Object>> records = (List<Map<String, Object>>) event.get("records");
        List<Map<String, Object>> answers = new ArrayList<>(records.size());
        for (Map<String, Object> record : records) {
            Map<String, Object> answer = new HashMap<>(4);
            answer.put("recordId", record.get("recordId"));
            answer.put("result", "Ok");
            answer.put("data", record.get("data"));
            answers.add(answer);
        }
        Map<String, Object> response = new HashMap<>(2);
        response.put("records", answers);
        return response;
    }
}
JAVA
cat > "$work/function/src/StreamingIdentity.java" <<'JAVA'
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Firehose's identity transformation, streamed: each record's id and data copied from the event to the answer. */
public class StreamingIdentity implements RequestStreamHandler {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        try (JsonParser event = JSON.createParser(in); JsonGenerator answer = JSON.createGenerator(out)) {
            answer.writeStartObject();
            answer.writeArrayFieldStart("records");
            event.nextToken();
            while (event.nextToken() == JsonToken.FIELD_NAME) {
                boolean records = event.currentName().equals("records");
                event.nextToken();
                if (!records) {
                    event.skipChildren();
                    continue;
                }
                while (event.nextToken() == JsonToken.START_OBJECT) {
                    answer.writeStartObject();
                    while (event.nextToken() == JsonToken.FIELD_NAME) {
                        String name = event.currentName();
                        event.nextToken();
                        if (name.equals("recordId") || name.equals("data")) {
                            answer.writeFieldName(name);
                            answer.writeString(event.getTextCharacters(), event.getTextOffset(), event.getTextLength());
                        } else {
                            event.skipChildren();
                        }
                    }
                    answer.writeStringField("result", "Ok");
                    answer.writeEndObject();
                }
            }
            answer.writeEndArray();
            answer.writeEndObject();
        }
    }
}
JAVA
jackson_jar=$(grep '/jackson-core-[^/]*\.jar$' "$work/test-classpath.lines" | head -1)
"$JAVA_HOME/bin/javac" -d "$work/function/classes" -cp "$core_jar:$jackson_jar" "$work/function/src/Identity.java" \
  "$work/function/src/StreamingIdentity.java"
"$JAVA_HOME/bin/jar" --create --file "$work/function/identity.jar" -C "$work/function/classes" .
# One extracted copy of the client's native layer: processes extracting their own at once can crash.
arch=$([ "$(uname -m)" = aarch64 ] && echo aarch_64 || echo x86_64)
(cd "$work/function" && "$JAVA_HOME/bin/jar" --extract --file "$ric_jar" "jni/libaws-lambda-jni.linux-$arch.so")
native="$work/function/jni/libaws-lambda-jni.linux-$arch.so"
command="$JAVA_HOME/bin/java -XX:+UseSerialGC -Xmx512m --enable-native-access=ALL-UNNAMED${FUNCTION_JAVA_OPTS:+ $FUNCTION_JAVA_OPTS}"
command+=" -Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=$native"
command+=" -cp $work/function/identity.jar:$jackson_jar:$client_jars"
case "${FUNCTION:-map}" in
  map) command+=" com.amazonaws.services.lambda.runtime.api.client.AWSLambda Identity::handleRequest" ;;
  stream) command+=" com.amazonaws.services.lambda.runtime.api.client.AWSLambda StreamingIdentity::handleRequest" ;;
  *) echo "FUNCTION is map or stream, not ${FUNCTION}" >&2; exit 2 ;;
esac
