package com.mailgov.policy.facts;

import java.util.Collection;

/**
 * A bean that knows unmanaged facts on its own (read on every {@link LoopFacts#snapshot()} rebuild).
 * Code that learns facts as events happen feeds {@link LoopFacts#replace} instead.
 */
public interface LoopFactSource {

    Collection<ObservedFact> facts();
}
