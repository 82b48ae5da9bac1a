// Package adoptservertest adopts inbucket, a real mail server with a web
// API: its image is healthy on Docker through nix/healthcheck, and answers
// on its port. The harness is internal/nixtest/adopting. It holds only
// tests.
package adoptservertest
