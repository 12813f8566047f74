print "hello from Python 2"
