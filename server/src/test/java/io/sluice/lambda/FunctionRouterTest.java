package io.sluice.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class FunctionRouterTest {
    private static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:transform";

    /** Answers with its own name, and counts how often it was closed. */
    private static final class Named implements FunctionInvoker {
        final String name;
        final List<String> closed;

        Named(String name, List<String> closed) {
            this.name = name;
            this.closed = closed;
        }

        @Override
        public CompletionStage<Invocation> invoke(FunctionCall call) {
            return CompletableFuture.completedFuture(new Invocation.Answered(name.getBytes()));
        }

        @Override
        public void close() {
            closed.add(name);
        }
    }

    private static String answer(FunctionRouter router, String arn) {
        Invocation invocation = router.invoke(new FunctionCall(arn, Optional.empty(), new byte[0]))
                .toCompletableFuture()
                .join();
        return new String(((Invocation.Answered) invocation).payload());
    }

    @Test
    void routesByTheArnAsWrittenThenByTheUnqualifiedFunctionThenToTheFallback() {
        List<String> closed = new ArrayList<>();
        Named local = new Named("local", closed);
        Named prod = new Named("prod", closed);
        FunctionRouter router = new FunctionRouter(
                Map.of(FUNCTION, local, FUNCTION + ":prod", prod, FUNCTION + ":2", local), new Named("aws", closed));

        assertThat(answer(router, FUNCTION)).isEqualTo("local");
        assertThat(answer(router, FUNCTION + ":prod")).isEqualTo("prod");
        assertThat(answer(router, FUNCTION + ":$LATEST")).isEqualTo("local");
        assertThat(answer(router, FUNCTION + "2")).isEqualTo("aws");
        assertThat(answer(router, "arn:aws:lambda:us-east-1:123456789012:function:other:prod"))
                .isEqualTo("aws");

        router.close();
        assertThat(closed).containsExactlyInAnyOrder("local", "prod", "aws");
    }

    @Test
    void unqualifiedStripsOnlyAVersionOrAlias() {
        assertThat(FunctionRouter.unqualified(FUNCTION)).isEqualTo(FUNCTION);
        assertThat(FunctionRouter.unqualified(FUNCTION + ":42")).isEqualTo(FUNCTION);
        assertThat(FunctionRouter.unqualified(FUNCTION + ":$LATEST")).isEqualTo(FUNCTION);
    }
}
