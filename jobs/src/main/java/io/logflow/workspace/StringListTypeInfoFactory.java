package io.logflow.workspace;

import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;

/** Makes Flink serialise {@code List<String>} POJO fields with its ListSerializer instead of Kryo. */
public class StringListTypeInfoFactory extends TypeInfoFactory<List<String>> {
    @Override
    public TypeInformation<List<String>> createTypeInfo(Type type, Map<String, TypeInformation<?>> genericParameters) {
        return Types.LIST(Types.STRING);
    }
}
