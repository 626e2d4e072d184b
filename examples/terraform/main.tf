# A Step Functions state machine that runs a Fargate task and waits for it to finish
# (the ECS `runTask.sync` integration), written the way Terraform users usually write it:
# the definition is an HCL object inside jsonencode(), and the cluster, the task definition
# and the network come from other resources of the same configuration.
#
#   asl-workbench validate examples/terraform/main.tf
#   asl-workbench iam examples/terraform/main.tf

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets the report task runs in"
}

data "aws_partition" "current" {}

resource "aws_ecs_cluster" "reports" {
  name = "reports"
}

resource "aws_ecs_task_definition" "report" {
  family                   = "nightly-report"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([
    {
      name      = "report"
      image     = "public.ecr.aws/docker/library/python:3.12-slim"
      essential = true
      command   = ["python", "-c", "print('report done')"]
    }
  ])
}

resource "aws_iam_role" "state_machine" {
  name = "nightly-report-state-machine"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "states.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_sfn_state_machine" "nightly_report" {
  name     = "nightly-report"
  role_arn = aws_iam_role.state_machine.arn

  definition = jsonencode({
    Comment = "Runs the nightly report on Fargate and waits for the task to stop"
    StartAt = "Run report"
    States = {
      "Run report" = {
        Type     = "Task"
        Resource = "arn:${data.aws_partition.current.partition}:states:::ecs:runTask.sync"
        Parameters = {
          LaunchType     = "FARGATE"
          Cluster        = aws_ecs_cluster.reports.arn
          TaskDefinition = aws_ecs_task_definition.report.arn
          NetworkConfiguration = {
            AwsvpcConfiguration = {
              Subnets        = var.subnet_ids
              AssignPublicIp = "DISABLED"
            }
          }
          Overrides = {
            ContainerOverrides = [{
              Name        = "report"
              "Command.$" = "$.command"
            }]
          }
        }
        TimeoutSeconds = 3600
        Retry = [{
          ErrorEquals     = ["ECS.AmazonECSException"]
          IntervalSeconds = 10
          MaxAttempts     = 2
          BackoffRate     = 2
        }]
        Catch = [{
          ErrorEquals = ["States.ALL"]
          ResultPath  = "$.error"
          Next        = "Report failed"
        }]
        End = true
      }
      "Report failed" = {
        Type  = "Fail"
        Error = "ReportFailed"
        Cause = "The report task did not finish"
      }
    }
  })
}
