package org.cyphon.core.protocol;

import java.util.List;
import java.util.Map;

/**
 * An admin's change to a machine's labels ({@code POST /api/v1/machines/{name}/labels}): set
 * these, then remove those. Labels an admin sets override what the agent says; removing one
 * brings the agent's value (if any) back.
 */
public record LabelRequest(Map<String, String> set, List<String> remove) {}
