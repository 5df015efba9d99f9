package io.logflow.pipeline;

import io.logflow.model.Failure;
import io.logflow.model.UploadStatus;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** Side outputs shared by the operators of the topology. */
public final class Outputs {
    private Outputs() {}

    /** Records given up on, from any stage; all of them end in the failure sinks. */
    public static final OutputTag<Failure> FAILURES =
            new OutputTag<>("failures", TypeInformation.of(Failure.class));

    /** Progress of uploaded files, from the markers the file source sends around each file. */
    public static final OutputTag<UploadStatus> UPLOADS =
            new OutputTag<>("uploads", TypeInformation.of(UploadStatus.class));
}
