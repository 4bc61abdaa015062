# Sourced by the Lambda benchmarks: builds Firehose's identity transformation in Java under "$work/function"
# and sets "$command", the command line that runs it through AWS's Java runtime interface client (the
# server's test dependency). Needs $root, $work and $JAVA_HOME.
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
"$JAVA_HOME/bin/javac" -d "$work/function/classes" -cp "$core_jar" "$work/function/src/Identity.java"
"$JAVA_HOME/bin/jar" --create --file "$work/function/identity.jar" -C "$work/function/classes" .
# One extracted copy of the client's native layer: processes extracting their own at once can crash.
arch=$([ "$(uname -m)" = aarch64 ] && echo aarch_64 || echo x86_64)
(cd "$work/function" && "$JAVA_HOME/bin/jar" --extract --file "$ric_jar" "jni/libaws-lambda-jni.linux-$arch.so")
native="$work/function/jni/libaws-lambda-jni.linux-$arch.so"
command="$JAVA_HOME/bin/java -XX:+UseSerialGC -Xmx512m --enable-native-access=ALL-UNNAMED"
command+=" -Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=$native"
command+=" -cp $work/function/identity.jar:$client_jars"
command+=" com.amazonaws.services.lambda.runtime.api.client.AWSLambda Identity::handleRequest"
