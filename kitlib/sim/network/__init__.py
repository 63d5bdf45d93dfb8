"""The simulated cluster network: pod IPs, cluster DNS, Services, and the fabric that
carries connections between them.  Nothing here opens a real socket."""
