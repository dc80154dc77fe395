import type { Client } from "@temporalio/client";
import { temporal } from "@temporalio/proto";

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
  const describe = async (type: temporal.api.enums.v1.TaskQueueType) => {
    const response = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: type,
    });
    return (response.pollers ?? []).map((poller) => poller.identity ?? "").sort();
  };
  const [workflow, activity] = await Promise.all([
    describe(temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
    describe(temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
  ]);
  return { workflow, activity };
}
