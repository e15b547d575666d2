package org.cyphon.agent.sensors;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;

/**
 * One session object of the test logind, exported at {@code /org/freedesktop/login1/session/_31}
 * and the like, answering {@code org.freedesktop.DBus.Properties} for the
 * {@code org.freedesktop.login1.Session} interface with logind's property names and D-Bus types
 * ({@code b} flags, {@code s} strings, {@code t} µs timestamps).
 */
final class LogindTestSession implements Properties {

    private final String objectPath;
    private final Map<String, Variant<?>> properties = new ConcurrentHashMap<>();

    LogindTestSession(String objectPath, Map<String, Variant<?>> properties) {
        this.objectPath = objectPath;
        this.properties.putAll(properties);
    }

    void put(Map<String, Variant<?>> changed) {
        properties.putAll(changed);
    }

    @Override
    public String getObjectPath() {
        return objectPath;
    }

    @Override
    public Map<String, Variant<?>> GetAll(String interfaceName) {
        // Like logind: this object has properties only on its Session interface.
        return "org.freedesktop.login1.Session".equals(interfaceName) ? Map.copyOf(properties) : Map.of();
    }

    @Override
    // The signature is D-Bus's Properties.Get, which this test object implements.
    @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
    public <A> A Get(String interfaceName, String propertyName) {
        return (A) GetAll(interfaceName).get(propertyName).getValue();
    }

    @Override
    public <A> void Set(String interfaceName, String propertyName, A value) {
        throw new UnsupportedOperationException("logind's session properties are read-only");
    }
}
