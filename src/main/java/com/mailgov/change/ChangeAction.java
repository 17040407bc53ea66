package com.mailgov.change;

/**
 * What an item does to its object. MOVE gives a MAILBOX, and everything at its address, to the
 * request's department (the company directory moved the person); the spec names only the address.
 */
public enum ChangeAction { CREATE, UPDATE, DELETE, MOVE }
