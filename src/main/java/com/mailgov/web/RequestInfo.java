package com.mailgov.web;

import jakarta.enterprise.context.RequestScoped;

/** Per-request facts the audit log records: the request id and the client's address. */
@RequestScoped
public class RequestInfo {

    private String requestId;
    private String sourceIp;

    public String requestId() {
        return requestId;
    }

    public String sourceIp() {
        return sourceIp;
    }

    void set(String requestId, String sourceIp) {
        this.requestId = requestId;
        this.sourceIp = sourceIp;
    }
}
