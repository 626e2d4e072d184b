{
  "StartAt": "Hello",
  "States": {
    "Hello": { "Type": "Pass", "Result": "world", "End": true }
  }
}
