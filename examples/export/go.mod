module github.com/volcim/volcim-go/examples/export

go 1.24.0

require (
	github.com/schollz/progressbar/v3 v3.18.0
	github.com/volcim/volcim-go v0.2.0
	golang.org/x/sync v0.10.0
)

require (
	github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
	github.com/hashicorp/go-retryablehttp v0.7.8 // indirect
	github.com/mitchellh/colorstring v0.0.0-20190213212951-d06e56a500db // indirect
	github.com/rivo/uniseg v0.4.7 // indirect
	golang.org/x/sys v0.29.0 // indirect
	golang.org/x/term v0.28.0 // indirect
	golang.org/x/time v0.14.0 // indirect
)
