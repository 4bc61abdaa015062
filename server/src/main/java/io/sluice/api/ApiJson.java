package io.sluice.api;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sluice.common.DataSize;

/** The JSON mapper of the API: bounded nesting and strings, and nothing after the top-level value. */
public final class ApiJson {
    private static final int MAX_NESTING = 64;

    private ApiJson() {}

    public static ObjectMapper mapper(DataSize maxRequestBody) {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING)
                        .maxStringLength(Math.toIntExact(Math.min(Integer.MAX_VALUE, maxRequestBody.bytes())))
                        .build());
        return mapper;
    }
}
