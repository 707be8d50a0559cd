package org.snakemq.rpc;

import java.util.Arrays;

import net.razorvine.pickle.IObjectConstructor;

/** A Python class or function that the unpickler does not map: "calling" it records a {@link PyObject}. */
record PyGlobal(String module, String name) implements IObjectConstructor {

    @Override
    public Object construct(Object[] args) {
        return new PyObject(module, name, Arrays.asList(args), null);
    }
}
