package io.sluice.api.model;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Where a value sits in a request, written as AWS writes it in a ValidationException: member
 * names lower-camel and joined by {@code .}, a list item as {@code <list>.<1-based index>.member},
 * a map value as {@code <map>.<key>.member} ({@code records.97.member.data}). Built as a linked
 * chain so that walking a request costs no string building; the text is made only for a message.
 */
final class ShapePath {
    static final ShapePath ROOT = new ShapePath(null, "");

    private final ShapePath parent;
    private final String segment;

    private ShapePath(ShapePath parent, String segment) {
        this.parent = parent;
        this.segment = segment;
    }

    ShapePath member(Member member) {
        return new ShapePath(this, member.pathName());
    }

    ShapePath item(int index) {
        return new ShapePath(this, (index + 1) + ".member");
    }

    ShapePath entry(String key) {
        return new ShapePath(this, ValueRenderer.capped(key) + ".member");
    }

    @Override
    public String toString() {
        Deque<String> segments = new ArrayDeque<>();
        for (ShapePath path = this; path.parent != null; path = path.parent) {
            segments.addFirst(path.segment);
        }
        return String.join(".", segments);
    }
}
