import numpy as np
from qonnx.custom_op.general.intquant import int_quant, resolve_rounding_mode
from qonnx.custom_op.general.trunc import trunc_v1, trunc_v2
from qonnx.custom_op.general.bipolar_quant import binary_quant
f=np.float32
V=np.array([2.5,-2.5,0.5,-0.5,1.5,-1.5,-1.1,1.1,0.0,-0.0,0.49999997,-0.49999997,3.7,-3.7,4194304.5,-4194303.5,2.4999998],dtype=f)
modes=["ROUND","CEIL","FLOOR","UP","DOWN","HALF_UP","HALF_DOWN"]
print("/* values */"); print(", ".join(float(v).hex() for v in V))
for m in modes:
    r=resolve_rounding_mode(m)(V)
    assert r.dtype==f
    print("/* %s */ {%s}," % (m, ", ".join(float(x).hex()+"f" if False else repr(float(x)) for x in r)))
# quant cases: x, scale, zeropt, bits, signed, narrow, mode
cases=[]
for x in [-130,-128.5,-127.5,126.5,127.4,127.6,200,0.5,-0.5]: cases.append((x,1,0,8,1,0,"ROUND"))
for x in [-128,-127.6,-127.4, 127.5]: cases.append((x,1,0,8,1,1,"ROUND"))
for x in [-3,15.5,7.5,6.5,14.7]: cases.append((x,1,0,4,0,0,"ROUND"))
for x in [15,14.5,13.5,-1]: cases.append((x,1,0,4,0,1,"ROUND"))
for x in [-0.1,0.0,-0.0,0.1,-3]: cases.append((x,0.5,0,1,1,0,"ROUND"))
for x in [0.4,0.5,0.6,-1,2]: cases.append((x,1,0,1,0,0,"ROUND"))
for x in [0.35,0.25,-0.05,0.15,-0.25,0.45,12.75]: 
    for m in ["ROUND","half_up","Half_Down","UP","DOWN"]: cases.append((x,0.1,0,8,1,0,m))
for x in [-1,0.2,1.75,130.3]: cases.append((x,0.5,3,8,0,0,"ROUND"))
for x in [127.3,-128.7,126.2,-127.2]: 
    for m in ["CEIL","FLOOR","UP"]: cases.append((x,1,0,8,1,0,m))
for x in [0.3,-0.3,5.0,-5.0,1.0/3]: cases.append((x,0.0078125,0,3,1,1,"ROUND"))
print("/* quant cases */")
for (x,s,z,b,sg,nr,m) in cases:
    y=int_quant(np.array([x],dtype=f),np.array(s,dtype=f),np.array(z,dtype=f),np.array(b,dtype=f),sg,nr,m)
    y=np.asarray(y).astype(f)
    print('  {%r, %r, %r, %d, %d, %d, "%s", %r},' % (float(f(x)), float(f(s)), float(f(z)), b, sg, nr, m, float(y[0])))
print("/* trunc v1: x, scale, zp, ibw, obw, mode, y */")
for (x,s,z,ib,ob,m) in [(100,1,0,8,4,"FLOOR"),(-100,1,0,8,4,"FLOOR"),(100.4,1,0,8,4,"ROUND"),(-3.3,0.25,0,8,6,"FLOOR"),(37,1,0,8,5,"CEIL"),(40,1,0,8,4,"HALF_UP"),(-40,0.5,0,8,4,"HALF_DOWN")]:
    y=trunc_v1(np.array([x],dtype=f),np.array(s,dtype=f),np.array(z,dtype=f),np.array(ib,dtype=f),np.array(ob,dtype=f),m)
    print('  {%r, %r, %r, %d, %d, "%s", %r},' % (float(f(x)),float(f(s)),float(f(z)),ib,ob,m,float(np.asarray(y).astype(f)[0])))
print("/* trunc v2: x, scale, zp, ibw, oscale, obw, signed, narrow, mode, y */")
for (x,s,z,ib,os_,ob,sg,nr,m) in [(100,1,0,8,16,4,1,0,"FLOOR"),(-100,1,0,8,16,4,1,0,"FLOOR"),(300,1,0,10,4,4,1,0,"FLOOR"),(300,1,0,10,4,4,0,0,"ROUND"),(-3.3,0.25,0,8,1,6,1,1,"FLOOR"),(37.5,0.5,0,8,4,4,1,0,"CEIL"),(-200,1,0,9,16,4,1,1,"ROUND"),(45,1,0,8,12,4,1,0,"HALF_UP")]:
    y=trunc_v2(np.array([x],dtype=f),np.array(s,dtype=f),np.array(z,dtype=f),np.array(ib,dtype=f),nr,sg,np.array(os_,dtype=f),np.array(ob,dtype=f),m)
    print('  {%r, %r, %r, %d, %r, %d, %d, %d, "%s", %r},' % (float(f(x)),float(f(s)),float(f(z)),ib,float(f(os_)),ob,sg,nr,m,float(np.asarray(y).astype(f)[0])))
print("/* bipolar: x, scale, y */")
for (x,s) in [(-0.1,2.0),(0.0,2.0),(-0.0,0.5),(3.0,0.5),(-7.0,0.25)]:
    y=binary_quant(np.array([x],dtype=f),np.array(s,dtype=f))
    print('  {%r, %r, %r},' % (float(f(x)),float(f(s)),float(np.asarray(y)[0])))
