package com.mailgov.sieve;

/** A script that Pigeonhole would refuse: where (line) and what was wrong. */
public class SieveSyntaxException extends Exception {

    private final int line;

    public SieveSyntaxException(int line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
