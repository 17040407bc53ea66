package com.mailgov.change;

/**
 * SUBMITTED → APPROVED / REJECTED / WITHDRAWN; APPROVED → APPLYING → APPLIED / FAILED.
 * Until pushing to mail servers exists, an approved request is applied to the directory at once.
 */
public enum ChangeStatus { SUBMITTED, APPROVED, REJECTED, WITHDRAWN, APPLYING, APPLIED, FAILED }
