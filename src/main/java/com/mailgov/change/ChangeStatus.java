package com.mailgov.change;

/**
 * SUBMITTED → APPROVED / REJECTED / WITHDRAWN; APPROVED → APPLYING → APPLIED / FAILED.
 * APPLYING: the directory has the change, push jobs to mail servers are still pending.
 */
public enum ChangeStatus { SUBMITTED, APPROVED, REJECTED, WITHDRAWN, APPLYING, APPLIED, FAILED }
