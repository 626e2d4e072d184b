/** Terraform files and set-up shared by the Terraform template tests. */
import assert from 'node:assert/strict';
import type { EmbeddedMachine } from '../src/templates/types';
import { findTerraformMachines } from '../src/templates/terraform/index';

export const JSONENCODE = `resource "aws_ecs_cluster" "main" {
  name = "jobs"
}

resource "aws_sfn_state_machine" "run_task" {
  name     = "run-task"
  role_arn = aws_iam_role.sfn.arn

  definition = jsonencode({
    Comment = "Runs the report task" # why it exists
    StartAt = "Run report"
    States = {
      "Run report" = {
        Type     = "Task"
        Resource = "arn:\${data.aws_partition.current.partition}:states:::ecs:runTask.sync"
        Parameters = {
          LaunchType     = "FARGATE"
          Cluster        = aws_ecs_cluster.main.arn
          TaskDefinition = aws_ecs_task_definition.report.arn
          Overrides = {
            ContainerOverrides = [{ Name = "report", "Command.$": "$.command" }]
          }
        }
        TimeoutSeconds = 600,
        Next           = var.next_state
      }
    }
  })
}
`;

export const HEREDOC = `resource "aws_sfn_state_machine" "sfn" {
  name       = "heredoc"
  definition = <<-EOF
    {
      "StartAt": "Run",
      "States": {
        "Run": {
          "Type": "Task",
          "Resource": "arn:aws:states:::ecs:runTask.sync",
          "Parameters": { "Cluster": "\${aws_ecs_cluster.main.arn}", "TaskDefinition": "\${var.task_definition}" },
          "TimeoutSeconds": \${var.timeout},
          "End": true
        }
      }
    }
  EOF
}
`;

/** The one state machine of a Terraform file. */
export function only(host: string, readFile?: (p: string) => string | undefined): EmbeddedMachine {
  const ms = findTerraformMachines(host, 'main.tf', readFile);
  assert.equal(ms.length, 1);
  return ms[0];
}
