package dev.postern.domain;

/**
 * What a colleague may do in the desk. Every colleague reads the reports whose key was wrapped to
 * them; an administrator also manages colleagues, the organization's settings and access to the
 * backlog. (Issue 9 adds an auditor, who reads the case log and no report.)
 */
public enum Role {
    ADMIN, RECIPIENT;

    public boolean isAdmin() {
        return this == ADMIN;
    }
}
