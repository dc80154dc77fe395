import type { Client } from "@temporalio/client";
import type { temporal as protoTypes } from "@temporalio/proto";
// @temporalio/proto is CommonJS (`module.exports = require("./root")`), so Node's ESM loader
// cannot see its names: a named import works under vitest but fails at link time under tsx or
// plain Node (pnpm scaleout imports this file). The default import is module.exports everywhere.
import proto from "@temporalio/proto";

const { TaskQueueKind, TaskQueueType } = proto.temporal.api.enums.v1;

export interface TaskQueuePollers {
  /** Identities of workers that polled the queue for workflow tasks recently. */
  workflow: string[];
  /** Identities of workers that polled the queue for activity tasks recently. */
  activity: string[];
}

/**
 * Who polls a task queue, as the Temporal server reports it (DescribeTaskQueue). The server
 * remembers a poller for a few minutes after its last poll, so tests use queues of their own.
 */
export async function taskQueuePollers(client: Client, taskQueue: string): Promise<TaskQueuePollers> {
  const describe = async (type: protoTypes.api.enums.v1.TaskQueueType) => {
    const response = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: type,
    });
    return (response.pollers ?? []).map((poller) => poller.identity ?? "").sort();
  };
  const [workflow, activity] = await Promise.all([
    describe(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
    describe(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
  ]);
  return { workflow, activity };
}
