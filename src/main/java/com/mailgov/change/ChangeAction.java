package com.mailgov.change;

public enum ChangeAction { CREATE, UPDATE, DELETE }
