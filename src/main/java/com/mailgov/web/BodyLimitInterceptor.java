package com.mailgov.web;

import com.mailgov.config.MailgovConfig;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Holds every body the REST layer reads to {@code mailgov.limits.max-body-bytes}, counting what is
 * read. It is what catches an HTTP/2 body without a content-length (the route in
 * {@link OversizedBodies} cannot read one ahead of the REST layer); the REST layer's own limit,
 * whose 413 has no problem document, is set well above ours and is never reached first.
 */
@Provider
public class BodyLimitInterceptor implements ReaderInterceptor {

    // looked up per request: the REST layer creates its providers at static init, before runtime config exists
    @Inject
    Instance<MailgovConfig> config;

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        context.setInputStream(new Limited(context.getInputStream(), config.get().limits().maxBodyBytes()));
        return context.proceed();
    }

    /** Thrown the moment a body passes the limit; answered with the payload-too-large problem. */
    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long limit) {
            super("The body is larger than the " + limit + " bytes accepted");
        }
    }

    private static final class Limited extends FilterInputStream {
        private final long limit;
        private long read;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) throws BodyTooLargeException {
            read += n;
            if (read > limit) {
                throw new BodyTooLargeException(limit);
            }
        }
    }
}
