package version

const Version = "dev"
