package org.cyphon.core.protocol;

import java.util.List;

/** Fair share across submitters, least recent usage (first served) first. */
public record ShareList(long halfLifeSeconds, List<ShareView> users) {}
