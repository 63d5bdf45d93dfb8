"""Golden protobuf bodies: what kubectl 1.32 sent, and the JSON its own ``--dry-run=client
-o json`` printed for the same command.

Each body was captured from ``kubectl -v=10`` (which hex-dumps protobuf request bodies)
against the simulator; decoding it must give exactly the object kubectl prints, in the same
key order: that is what Go's ``encoding/json`` makes of the struct the apiserver decodes.
The SNAPSHOTS have no dry-run counterpart (``create token``, ``drain``'s DELETE options,
``auth can-i|whoami``, ``debug``); their expected JSON was reviewed by hand against the Go
types' JSON tags.
"""

from __future__ import annotations

import json

import pytest

from kitlib.sim.schema.protobuf import decode_protobuf

GOLDEN: dict[str, tuple[str, str]] = {
    "create deployment web --image=nginx --replicas=2": (
        "6b3873000a150a07617070732f7631120a4465706c6f796d656e7412ab010a1f0a0377656212001a"
        "0022002a003200380042005a0a0a036170701203776562127a0802120c0a0a0a0361707012037765"
        "621a600a1c0a0012001a0022002a003200380042005a0a0a036170701203776562124012220a056e"
        "67696e7812056e67696e782a0042006a007200800100880100900100a201001a00320042004a0052"
        "005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038"
        "001a002200",
        '{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","creation'
        'Timestamp":null,"labels":{"app":"web"}},"spec":{"replicas":2,"selector":{"matc'
        'hLabels":{"app":"web"}},"template":{"metadata":{"creationTimestamp":null,"labe'
        'ls":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx","reso'
        'urces":{}}]}},"strategy":{}},"status":{}}'),
    "create deployment w2 --image=nginx --image=redis --port=80 -n kube-system": (
        "6b3873000a150a07617070732f7631120a4465706c6f796d656e7412e4010a280a02773212001a0b"
        "6b7562652d73797374656d22002a003200380042005a090a036170701202773212a9010801120b0a"
        "090a03617070120277321a8f010a1b0a0012001a0022002a003200380042005a090a036170701202"
        "77321270122e0a056e67696e7812056e67696e782a00320a0a001000185022002a0042006a007200"
        "800100880100900100a2010012220a057265646973120572656469732a0042006a00720080010088"
        "0100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00"
        "280038001a0c0800100018002000280038001a002200",
        '{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"w2","namespace'
        '":"kube-system","creationTimestamp":null,"labels":{"app":"w2"}},"spec":{"repli'
        'cas":1,"selector":{"matchLabels":{"app":"w2"}},"template":{"metadata":{"creati'
        'onTimestamp":null,"labels":{"app":"w2"}},"spec":{"containers":[{"name":"nginx"'
        ',"image":"nginx","ports":[{"containerPort":80}],"resources":{}},{"name":"redis'
        '","image":"redis","resources":{}}]}},"strategy":{}},"status":{}}'),
    "create namespace x": (
        "6b3873000a0f0a02763112094e616d65737061636512190a110a017812001a0022002a0032003800"
        "420012001a020a001a002200",
        '{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"x","creationTimestam'
        'p":null},"spec":{},"status":{}}'),
    "create configmap c --from-literal=a=b --from-literal=z=y": (
        "6b3873000a0f0a0276311209436f6e6669674d617012230a110a016312001a0022002a0032003800"
        "420012060a016112016212060a017a1201791a002200",
        '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"c","creationTimestam'
        'p":null},"data":{"a":"b","z":"y"}}'),
    "create configmap cb --from-file=bin.dat (bytes 0..255) --from-literal=t=x": (
        "6b3873000a0f0a0276311209436f6e6669674d617012ab020a120a02636212001a0022002a003200"
        "3800420012060a01741201781a8c020a0762696e2e646174128002000102030405060708090a0b0c"
        "0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334"
        "35363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c"
        "5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f8081828384"
        "85868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabac"
        "adaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4"
        "d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfc"
        "fdfeff1a002200",
        '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"cb","creationTimesta'
        'mp":null},"data":{"t":"x"},"binaryData":{"bin.dat":"AAECAwQFBgcICQoLDA0ODxAREh'
        'MUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xN'
        'Tk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4'
        'iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHC'
        'w8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P'
        '3+/w=="}}'),
    "create secret generic s --from-literal=k=v --type=Opaque": (
        "6b3873000a0c0a027631120653656372657412230a110a017312001a0022002a0032003800420012"
        "060a016b1201761a064f70617175651a002200",
        '{"kind":"Secret","apiVersion":"v1","metadata":{"name":"s","creationTimestamp":'
        'null},"data":{"k":"dg=="},"type":"Opaque"}'),
    "create secret generic sf --from-file=bin.dat --from-literal=empty=": (
        "6b3873000a0c0a027631120653656372657412b0020a120a02736612001a0022002a003200380042"
        "00128c020a0762696e2e646174128002000102030405060708090a0b0c0d0e0f1011121314151617"
        "18191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
        "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f6061626364656667"
        "68696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f"
        "909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7"
        "b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
        "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff12090a05656d7074"
        "7912001a001a002200",
        '{"kind":"Secret","apiVersion":"v1","metadata":{"name":"sf","creationTimestamp"'
        ':null},"data":{"bin.dat":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUm'
        'JygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYG'
        'FiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqb'
        'nJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1d'
        'bX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/w==","empty":""}}'),
    "create secret docker-registry d --docker-username=u "
    "--docker-password=p --docker-server=r.io": (
        "6b3873000a0c0a0276311206536563726574128a010a110a016412001a0022002a00320038004200"
        "12550a112e646f636b6572636f6e6669676a736f6e12407b226175746873223a7b22722e696f223a"
        "7b22757365726e616d65223a2275222c2270617373776f7264223a2270222c2261757468223a2264"
        "547077227d7d7d1a1e6b756265726e657465732e696f2f646f636b6572636f6e6669676a736f6e1a"
        "002200",
        '{"kind":"Secret","apiVersion":"v1","metadata":{"name":"d","creationTimestamp":'
        'null},"data":{".dockerconfigjson":"eyJhdXRocyI6eyJyLmlvIjp7InVzZXJuYW1lIjoidSI'
        'sInBhc3N3b3JkIjoicCIsImF1dGgiOiJkVHB3In19fQ=="},"type":"kubernetes.io/dockerco'
        'nfigjson"}'),
    "create service nodeport n --tcp=80:8080 --node-port=30080": (
        "6b3873000a0d0a02763112075365727669636512640a1b0a016e12001a0022002a00320038004200"
        "5a080a0361707012016e12410a1d0a0738302d38303830120354435018502207080010903f1a0028"
        "80eb0112080a0361707012016e1a0022084e6f6465506f72743a00420052005a00600068001a020a"
        "001a002200",
        '{"kind":"Service","apiVersion":"v1","metadata":{"name":"n","creationTimestamp"'
        ':null,"labels":{"app":"n"}},"spec":{"ports":[{"name":"80-8080","protocol":"TCP'
        '","port":80,"targetPort":8080,"nodePort":30080}],"selector":{"app":"n"},"type"'
        ':"NodePort"},"status":{"loadBalancer":{}}}'),
    "create service clusterip ci --tcp=80:8080 --tcp=443": (
        "6b3873000a0d0a0276311207536572766963651280010a1d0a02636912001a0022002a0032003800"
        "42005a090a0361707012026369125b0a1b0a0738302d38303830120354435018502207080010903f"
        "1a0028000a180a03343433120354435018bb032207080010bb031a00280012090a03617070120263"
        "691a002209436c757374657249503a00420052005a00600068001a020a001a002200",
        '{"kind":"Service","apiVersion":"v1","metadata":{"name":"ci","creationTimestamp'
        '":null,"labels":{"app":"ci"}},"spec":{"ports":[{"name":"80-8080","protocol":"T'
        'CP","port":80,"targetPort":8080},{"name":"443","protocol":"TCP","port":443,"ta'
        'rgetPort":443}],"selector":{"app":"ci"},"type":"ClusterIP"},"status":{"loadBal'
        'ancer":{}}}'),
    "create service clusterip hl --clusterip=None": (
        "6b3873000a0d0a027631120753657276696365124d0a1d0a02686c12001a0022002a003200380042"
        "005a090a036170701202686c122812090a036170701202686c1a044e6f6e652209436c7573746572"
        "49503a00420052005a00600068001a020a001a002200",
        '{"kind":"Service","apiVersion":"v1","metadata":{"name":"hl","creationTimestamp'
        '":null,"labels":{"app":"hl"}},"spec":{"selector":{"app":"hl"},"clusterIP":"Non'
        'e","type":"ClusterIP"},"status":{"loadBalancer":{}}}'),
    "create service loadbalancer lb --tcp=80": (
        "6b3873000a0d0a02763112075365727669636512630a1d0a026c6212001a0022002a003200380042"
        "005a090a0361707012026c62123e0a150a023830120354435018502206080010501a00280012090a"
        "0361707012026c621a00220c4c6f616442616c616e6365723a00420052005a00600068001a020a00"
        "1a002200",
        '{"kind":"Service","apiVersion":"v1","metadata":{"name":"lb","creationTimestamp'
        '":null,"labels":{"app":"lb"}},"spec":{"ports":[{"name":"80","protocol":"TCP","'
        'port":80,"targetPort":80}],"selector":{"app":"lb"},"type":"LoadBalancer"},"sta'
        'tus":{"loadBalancer":{}}}'),
    "create service externalname en --external-name=example.com": (
        "6b3873000a0d0a02763112075365727669636512570a1d0a02656e12001a0022002a003200380042"
        "005a090a036170701202656e123212090a036170701202656e1a00220c45787465726e616c4e616d"
        "653a004200520b6578616d706c652e636f6d5a00600068001a020a001a002200",
        '{"kind":"Service","apiVersion":"v1","metadata":{"name":"en","creationTimestamp'
        '":null,"labels":{"app":"en"}},"spec":{"selector":{"app":"en"},"type":"External'
        'Name","externalName":"example.com"},"status":{"loadBalancer":{}}}'),
    "create serviceaccount sa1": (
        "6b3873000a140a027631120e536572766963654163636f756e7412150a130a0373613112001a0022"
        "002a003200380042001a002200",
        '{"kind":"ServiceAccount","apiVersion":"v1","metadata":{"name":"sa1","creationT'
        'imestamp":null}}'),
    "create job j --image=busybox": (
        "6b3873000a0f0a0862617463682f763112034a6f6212780a110a016a12001a0022002a0032003800"
        "4200125932570a100a0012001a0022002a00320038004200124312200a016a120762757379626f78"
        "2a0042006a007200800100880100900100a201001a054e65766572320042004a0052005800600068"
        "008201008a01009a0100c201001a082000280030003a001a002200",
        '{"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"j","creationTimestam'
        'p":null},"spec":{"template":{"metadata":{"creationTimestamp":null},"spec":{"co'
        'ntainers":[{"name":"j","image":"busybox","resources":{}}],"restartPolicy":"Nev'
        'er"}}},"status":{}}'),
    "create cronjob cj --image=busybox --schedule='*/5 * * * *' -- date": (
        "6b3873000a130a0862617463682f7631120743726f6e4a6f6212a4010a120a02636a12001a002200"
        "2a00320038004200128b010a0b2a2f35202a202a202a202a1a002a7a0a120a02636a12001a002200"
        "2a00320038004200126432620a100a0012001a0022002a00320038004200124e12270a02636a1207"
        "62757379626f781a04646174652a0042006a007200800100880100900100a201001a094f6e466169"
        "6c757265320042004a0052005800600068008201008a01009a0100c201001a001a002200",
        '{"kind":"CronJob","apiVersion":"batch/v1","metadata":{"name":"cj","creationTim'
        'estamp":null},"spec":{"schedule":"*/5 * * * *","jobTemplate":{"metadata":{"nam'
        'e":"cj","creationTimestamp":null},"spec":{"template":{"metadata":{"creationTim'
        'estamp":null},"spec":{"containers":[{"name":"cj","image":"busybox","command":['
        '"date"],"resources":{}}],"restartPolicy":"OnFailure"}}}}},"status":{}}'),
    "create ingress ing --rule=foo.com/bar=svc1:8080,tls=my-cert "
    "--class=nginx --annotation=a=b": (
        "6b3873000a1f0a146e6574776f726b696e672e6b38732e696f2f76311207496e6772657373126d0a"
        "1b0a03696e6712001a0022002a0032003800420062060a0161120162124a12120a07666f6f2e636f"
        "6d12076d792d636572741a2d0a07666f6f2e636f6d12220a200a1e0a042f626172120f220d0a0473"
        "76633112050a0010903f1a05457861637422056e67696e781a020a001a002200",
        '{"kind":"Ingress","apiVersion":"networking.k8s.io/v1","metadata":{"name":"ing"'
        ',"creationTimestamp":null,"annotations":{"a":"b"}},"spec":{"ingressClassName":'
        '"nginx","tls":[{"hosts":["foo.com"],"secretName":"my-cert"}],"rules":[{"host":'
        '"foo.com","http":{"paths":[{"path":"/bar","pathType":"Exact","backend":{"servi'
        'ce":{"name":"svc1","port":{"number":8080}}}}]}}]},"status":{"loadBalancer":{}}'
        '}'),
    "create pdb pdb1 --selector=app=x --min-available=50%": (
        "6b3873000a200a09706f6c6963792f76311213506f6444697372757074696f6e427564676574123b"
        "0a140a047064623112001a0022002a0032003800420012170a09080110001a03353025120a0a080a"
        "036170701201781a0a080018002000280030001a002200",
        '{"kind":"PodDisruptionBudget","apiVersion":"policy/v1","metadata":{"name":"pdb'
        '1","creationTimestamp":null},"spec":{"minAvailable":"50%","selector":{"matchLa'
        'bels":{"app":"x"}}},"status":{"disruptionsAllowed":0,"currentHealthy":0,"desir'
        'edHealthy":0,"expectedPods":0}}'),
    "create pdb pdb2 --selector=app=x --max-unavailable=1": (
        "6b3873000a200a09706f6c6963792f76311213506f6444697372757074696f6e4275646765741238"
        "0a140a047064623212001a0022002a003200380042001214120a0a080a036170701201781a060800"
        "10011a001a0a080018002000280030001a002200",
        '{"kind":"PodDisruptionBudget","apiVersion":"policy/v1","metadata":{"name":"pdb'
        '2","creationTimestamp":null},"spec":{"selector":{"matchLabels":{"app":"x"}},"m'
        'axUnavailable":1},"status":{"disruptionsAllowed":0,"currentHealthy":0,"desired'
        'Healthy":0,"expectedPods":0}}'),
    "create role r --verb=get,list --resource=pods,deployments.apps --resource-name=a": (
        "6b3873000a240a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f76311204526f"
        "6c65124e0a110a017212001a0022002a0032003800420012160a036765740a046c69737412001a04"
        "706f647322016112210a036765740a046c6973741204617070731a0b6465706c6f796d656e747322"
        "01611a002200",
        '{"kind":"Role","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":'
        '"r","creationTimestamp":null},"rules":[{"verbs":["get","list"],"apiGroups":[""'
        '],"resources":["pods"],"resourceNames":["a"]},{"verbs":["get","list"],"apiGrou'
        'ps":["apps"],"resources":["deployments"],"resourceNames":["a"]}]}'),
    "create rolebinding rb --role=r --user=u --serviceaccount=default:sa1 --group=g": (
        "6b3873000a2b0a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f7631120b526f"
        "6c6542696e64696e6712ad010a120a02726212001a0022002a0032003800420012260a0455736572"
        "1219726261632e617574686f72697a6174696f6e2e6b38732e696f1a0175220012270a0547726f75"
        "701219726261632e617574686f72697a6174696f6e2e6b38732e696f1a0167220012200a0e536572"
        "766963654163636f756e7412001a03736131220764656661756c741a240a19726261632e61757468"
        "6f72697a6174696f6e2e6b38732e696f1204526f6c651a01721a002200",
        '{"kind":"RoleBinding","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{'
        '"name":"rb","creationTimestamp":null},"subjects":[{"kind":"User","apiGroup":"r'
        'bac.authorization.k8s.io","name":"u"},{"kind":"Group","apiGroup":"rbac.authori'
        'zation.k8s.io","name":"g"},{"kind":"ServiceAccount","name":"sa1","namespace":"'
        'default"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","na'
        'me":"r"}}'),
    "create quota q "
    "--hard=cpu=1500m,memory=1Gi,pods=10,requests.storage=2.5Ti --scopes=BestEffort": (
        "6b3873000a130a027631120d5265736f7572636551756f746112700a110a017112001a0022002a00"
        "32003800420012590a0e0a0363707512070a05313530306d0a0f0a066d656d6f727912050a033147"
        "690a0c0a04706f647312040a0231300a1c0a1072657175657374732e73746f7261676512080a0632"
        "3536304769120a426573744566666f72741a001a002200",
        '{"kind":"ResourceQuota","apiVersion":"v1","metadata":{"name":"q","creationTime'
        'stamp":null},"spec":{"hard":{"cpu":"1500m","memory":"1Gi","pods":"10","request'
        's.storage":"2560Gi"},"scopes":["BestEffort"]},"status":{}}'),
    "create priorityclass pc --value=1000 --description=d "
    "--global-default=false --preemption-policy=Never": (
        "6b3873000a250a147363686564756c696e672e6b38732e696f2f7631120d5072696f72697479436c"
        "61737312230a120a02706312001a0022002a0032003800420010e80718002201642a054e65766572"
        "1a002200",
        '{"kind":"PriorityClass","apiVersion":"scheduling.k8s.io/v1","metadata":{"name"'
        ':"pc","creationTimestamp":null},"value":1000,"description":"d","preemptionPoli'
        'cy":"Never"}'),
    "autoscale deployment web --min=2 --max=5 --cpu-percent=80": (
        "6b3873000a290a0e6175746f7363616c696e672f76311217486f72697a6f6e74616c506f64417574"
        "6f7363616c6572123f0a130a0377656212001a0022002a0032003800420012220a1a0a0a4465706c"
        "6f796d656e7412037765621a07617070732f76311002180520501a04180020001a002200",
        '{"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v1","metadata":{"n'
        'ame":"web","creationTimestamp":null},"spec":{"scaleTargetRef":{"kind":"Deploym'
        'ent","name":"web","apiVersion":"apps/v1"},"minReplicas":2,"maxReplicas":5,"tar'
        'getCPUUtilizationPercentage":80},"status":{"currentReplicas":0,"desiredReplica'
        's":0}}'),
}

SNAPSHOTS: dict[str, tuple[str, str]] = {
    "create token default --duration=10m --audience=a,b": (
        "6b3873000a280a1861757468656e7469636174696f6e2e6b38732e696f2f7631120c546f6b656e52"
        "65717565737412220a100a0012001a0022002a0032003800420012080a03612c6220d8041a040a00"
        "12001a002200",
        '{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","metadata":{"cr'
        'eationTimestamp":null},"spec":{"audiences":["a,b"],"expirationSeconds":600,"bo'
        'undObjectRef":null},"status":{"token":"","expirationTimestamp":null}}'),
    "drain n1 --disable-eviction --grace-period=5 (the DELETE body)": (
        "6b3873000a130a027631120d44656c6574654f7074696f6e73120208051a002200",
        '{"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":5}'),
    "auth can-i get pods": (
        "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c66537562"
        "6a656374416363657373526576696577123c0a100a0012001a0022002a00320038004200121e0a1c"
        "0a0764656661756c7412036765741a0022002a04706f647332003a001a08080012001a0020001a00"
        "2200",
        '{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","meta'
        'data":{"creationTimestamp":null},"spec":{"resourceAttributes":{"namespace":"de'
        'fault","verb":"get","resource":"pods"}},"status":{"allowed":false}}'),
    "auth whoami": (
        "6b3873000a2d0a1861757468656e7469636174696f6e2e6b38732e696f2f7631121153656c665375"
        "626a656374526576696577121a0a100a0012001a0022002a0032003800420012060a040a0012001a"
        "002200",
        '{"kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io/v1","metadata"'
        ':{"creationTimestamp":null},"status":{"userInfo":{}}}'),
    "debug node/n1 --image=busybox --profile=sysadmin -- true": (
        "6b3873000a090a0276311203506f6412d6010a260a166e6f64652d64656275676765722d6e312d70"
        "7839326412001a0022002a003200380042001299010a120a09686f73742d726f6f7412050a030a01"
        "2f124f0a086465627567676572120762757379626f781a04747275652a0042004a180a09686f7374"
        "2d726f6f7410001a052f686f7374220032006a0072007a021001800100880100900100a201044669"
        "6c651a054e65766572320042004a0052026e315801600168018201008a01009a0100b2010e0a0012"
        "064578697374731a002200c201001a100a001a0022002a0032004a005a0072001a002200",
        '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"node-debugger-n1-px92d","c'
        'reationTimestamp":null},"spec":{"volumes":[{"name":"host-root","hostPath":{"pa'
        'th":"/"}}],"containers":[{"name":"debugger","image":"busybox","command":["true'
        '"],"resources":{},"volumeMounts":[{"name":"host-root","mountPath":"/host"}],"t'
        'erminationMessagePolicy":"File","securityContext":{"privileged":true}}],"resta'
        'rtPolicy":"Never","nodeName":"n1","hostNetwork":true,"hostPID":true,"hostIPC":'
        'true,"tolerations":[{"operator":"Exists"}]},"status":{}}'),
    "debug dp --copy-to=dpc --image=busybox -- true": (
        "6b3873000a090a0276311203506f6412e3040a1a0a0364706312001a0764656661756c7422002a00"
        "32003800420012b2040a84010a156b7562652d6170692d6163636573732d6632736e72126bd20168"
        "0a0e220c0a0010971c1a05746f6b656e0a281a260a120a106b7562652d726f6f742d63612e637274"
        "12100a0663612e637274120663612e6372740a2912270a250a096e616d65737061636512180a0276"
        "3112126d657461646174612e6e616d65737061636510a403128d010a026470120762757379626f78"
        "2a0042004a4c0a156b7562652d6170692d6163636573732d6632736e7210011a2d2f7661722f7275"
        "6e2f736563726574732f6b756265726e657465732e696f2f736572766963656163636f756e742200"
        "32006a142f6465762f7465726d696e6174696f6e2d6c6f677206416c776179738001008801009001"
        "00a2010446696c6512370a0e64656275676765722d6634367164120762757379626f781a04747275"
        "652a0042006a007200800100880100900100a2010446696c651a06416c77617973201e320c436c75"
        "737465724669727374420764656661756c744a0764656661756c7452005800600068007200820100"
        "8a01009a011164656661756c742d7363686564756c6572b201360a1c6e6f64652e6b756265726e65"
        "7465732e696f2f6e6f742d726561647912064578697374731a0022094e6f4578656375746528ac02"
        "b201380a1e6e6f64652e6b756265726e657465732e696f2f756e726561636861626c651206457869"
        "7374731a0022094e6f4578656375746528ac02c20100c80100f00101fa0114507265656d70744c6f"
        "7765725072696f726974791a100a001a0022002a0032004a005a0072001a002200",
        '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"dpc","namespace":"default"'
        ',"creationTimestamp":null},"spec":{"volumes":[{"name":"kube-api-access-f2snr",'
        '"projected":{"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path'
        '":"token"}},{"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","'
        'path":"ca.crt"}]}},{"downwardAPI":{"items":[{"path":"namespace","fieldRef":{"a'
        'piVersion":"v1","fieldPath":"metadata.namespace"}}]}}],"defaultMode":420}}],"c'
        'ontainers":[{"name":"dp","image":"busybox","resources":{},"volumeMounts":[{"na'
        'me":"kube-api-access-f2snr","readOnly":true,"mountPath":"/var/run/secrets/kube'
        'rnetes.io/serviceaccount"}],"terminationMessagePath":"/dev/termination-log","t'
        'erminationMessagePolicy":"File","imagePullPolicy":"Always"},{"name":"debugger-'
        'f46qd","image":"busybox","command":["true"],"resources":{},"terminationMessage'
        'Policy":"File"}],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"'
        'dnsPolicy":"ClusterFirst","serviceAccountName":"default","serviceAccount":"def'
        'ault","securityContext":{},"schedulerName":"default-scheduler","tolerations":['
        '{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute"'
        ',"tolerationSeconds":300},{"key":"node.kubernetes.io/unreachable","operator":"'
        'Exists","effect":"NoExecute","tolerationSeconds":300}],"priority":0,"enableSer'
        'viceLinks":true,"preemptionPolicy":"PreemptLowerPriority"},"status":{}}'),
}


def _decode(hex_body: str) -> tuple[str, str, dict]:
    return decode_protobuf(bytes.fromhex(hex_body))


@pytest.mark.parametrize("command", list(GOLDEN))
def test_kubectl_body_decodes_to_its_dry_run_json(command: str) -> None:
    hex_body, want = GOLDEN[command]
    api_version, kind, obj = _decode(hex_body)
    expected = json.loads(want)
    assert (api_version, kind) == (expected["apiVersion"], expected["kind"])
    assert obj == expected
    # Same key order as Go's encoder (struct field order), so printed objects match too.
    assert json.dumps(obj) == json.dumps(expected)


@pytest.mark.parametrize("command", list(SNAPSHOTS))
def test_kubectl_body_without_dry_run_decodes_as_reviewed(command: str) -> None:
    hex_body, want = SNAPSHOTS[command]
    assert json.dumps(_decode(hex_body)[2]) == json.dumps(json.loads(want))


def test_deployment_keeps_go_zero_values_and_drops_omitempty_ones() -> None:
    # gogo writes every non-pointer scalar (name="", generation=0, paused=false, ...):
    # JSON must still drop those with omitempty and keep the structs without it.
    obj = _decode(GOLDEN["create deployment web --image=nginx --replicas=2"][0])[2]
    assert obj["metadata"] == {"name": "web", "creationTimestamp": None,
                               "labels": {"app": "web"}}
    assert obj["spec"]["strategy"] == {} and obj["status"] == {}
    assert obj["spec"]["template"]["spec"]["containers"][0]["resources"] == {}


def test_secret_bytes_become_base64_and_empty_values_stay() -> None:
    command = "create secret generic sf --from-file=bin.dat --from-literal=empty="
    obj = _decode(GOLDEN[command][0])[2]
    assert obj["data"]["empty"] == ""
    assert obj["data"]["bin.dat"].startswith("AAECAwQF")


def test_quantities_and_int_or_strings_keep_their_json_forms() -> None:
    quota = next(v for k, v in GOLDEN.items() if k.startswith("create quota"))
    hard = _decode(quota[0])[2]["spec"]["hard"]
    assert hard == {"cpu": "1500m", "memory": "1Gi", "pods": "10", "requests.storage": "2560Gi"}
    pdb = _decode(GOLDEN["create pdb pdb1 --selector=app=x --min-available=50%"][0])[2]
    assert pdb["spec"]["minAvailable"] == "50%"
    pdb2 = _decode(GOLDEN["create pdb pdb2 --selector=app=x --max-unavailable=1"][0])[2]
    assert pdb2["spec"]["maxUnavailable"] == 1
