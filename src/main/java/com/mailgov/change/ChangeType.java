package com.mailgov.change;

/**
 * NORMAL: approved by a second person before it is applied. EMERGENCY: applied at once on one
 * approver's (or the policy's) word to stop harm, reviewed by a second person afterwards.
 */
public enum ChangeType { NORMAL, EMERGENCY }
