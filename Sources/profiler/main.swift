import ProfilerCLI

await ProfilerCommand.main()
