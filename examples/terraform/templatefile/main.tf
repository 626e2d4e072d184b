# The same kind of state machine with its definition in its own file: templatefile() fills
# the `${…}` placeholders of report.asl.json from the variables below. The editor and the
# CLI check report.asl.json with those values: a literal one (assign_public_ip) is checked as
# that value, one Terraform computes (the cluster and task definition ARNs) as an ARN.
#
#   asl-workbench validate examples/terraform/templatefile/main.tf

resource "aws_ecs_cluster" "reports" {
  name = "reports"
}

resource "aws_sfn_state_machine" "nightly_report" {
  name     = "nightly-report"
  role_arn = aws_iam_role.state_machine.arn

  definition = templatefile("${path.module}/report.asl.json", {
    cluster_arn         = aws_ecs_cluster.reports.arn
    task_definition_arn = aws_ecs_task_definition.report.arn
    assign_public_ip    = "DISABLED"
  })
}
