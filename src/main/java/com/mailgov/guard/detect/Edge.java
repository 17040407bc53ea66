package com.mailgov.guard.detect;

/** One observed hop of mail between two normalised addresses. */
public record Edge(String src, String dst) {

    @Override
    public String toString() {
        return src + " -> " + dst;
    }
}
